using CoordinationPortal.Web.Hosting;

namespace CoordinationPortal.Integration.Tests.Architecture;

/// <summary>
/// Feature folders depend one way only: on the kernel, and on another feature's published read models or contracts,
/// never back. The composition root (<c>Hosting</c>), the application shell (<c>Shell</c>: the document, router and
/// layout), the pages that bring features together (<c>Overview</c>) and the demo (<c>Seeding</c>) use many and are used by none.
/// </summary>
public sealed class NoCyclesTests
{
    private static readonly IReadOnlyDictionary<string, IReadOnlySet<string>> Graph = FeatureDependencies.Of(typeof(PortalFeatures).Assembly);

    [Fact]
    public void no_two_folders_of_the_web_project_depend_on_each_other_in_a_cycle()
    {
        var cycle = FeatureDependencies.FindCycle(Graph);

        Assert.True(cycle is null, $"Folders depend on each other in a cycle: {string.Join(" → ", cycle ?? [])}. " +
            "Depend one way: publish a contract or a change (Kernel/Changes) instead of calling back.");
    }

    [Fact]
    public void the_kernel_depends_on_no_feature()
    {
        Assert.Empty(Graph["Kernel"]);
    }

    [Fact]
    public void no_folder_depends_on_the_composition_root_or_the_demo()
    {
        Assert.Empty(Graph.Where(g => g.Key is not "Hosting" and not "Seeding" && g.Value.Overlaps(["Hosting", "Seeding", "Overview", "Shell"])).Select(g => g.Key));
    }

    [Fact]
    public void the_check_finds_a_cycle_when_there_is_one()
    {
        var graph = new Dictionary<string, IReadOnlySet<string>>
        {
            ["Agencies"] = new HashSet<string> { "Kernel" },
            ["Probes"] = new HashSet<string> { "Agencies", "OutOfStep" },
            ["OutOfStep"] = new HashSet<string> { "Probes" },
        };

        Assert.Equal(["OutOfStep", "Probes", "OutOfStep"], FeatureDependencies.FindCycle(graph));
        Assert.Contains("Kernel", Graph["Agencies"]);
    }
}
