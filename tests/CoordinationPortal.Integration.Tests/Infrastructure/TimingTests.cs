namespace CoordinationPortal.Integration.Tests.Infrastructure;

/// <summary>Tests whose assertions include elapsed time. xUnit runs a collection that disables parallelization on its
/// own, after every parallel collection, so a database starting up next door cannot stall what they time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimingTests
{
    public const string Name = "timing";
}
