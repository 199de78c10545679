global using Xunit;
global using CoordinationPortal.Domain;
global using CoordinationPortal.Web.Kernel;
global using CoordinationPortal.Web.Kernel.Commands;
global using CoordinationPortal.Web.Identity;
