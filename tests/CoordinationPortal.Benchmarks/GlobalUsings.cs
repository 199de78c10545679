global using CoordinationPortal.Web.Kernel;
global using CoordinationPortal.Web.Kernel.Commands;
