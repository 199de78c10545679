using CoordinationPortal.Web.Briefings.Content;
using CoordinationPortal.Web.Kernel.Features;

namespace CoordinationPortal.Web.Briefings;

/// <summary>
/// PDF briefings for policymakers: five scopes in English or Hindi, rendered from Razor components to HTML and printed
/// by headless Chromium in a Hangfire job, cached per data version. It reads agencies, flags, probes and working groups;
/// nothing depends on it.
/// </summary>
public sealed class BriefingsFeature : IPortalFeature
{
    public void AddServices(FeatureSetup setup)
    {
        ContentPart.AddServices(setup);
    }
}
