// The kernel and the domain's root types (Decision, DomainError, Layer) are what every feature folder builds on.
global using CoordinationPortal.Domain;
global using CoordinationPortal.Web.Kernel;
global using CoordinationPortal.Web.Kernel.Commands;
