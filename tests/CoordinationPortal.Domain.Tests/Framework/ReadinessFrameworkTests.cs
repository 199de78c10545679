namespace CoordinationPortal.Domain.Tests.Framework;

public sealed class ReadinessFrameworkTests
{
    [Fact]
    public void an_indicator_is_found_with_the_layer_it_belongs_to()
    {
        var found = SmallFramework.Instance.TryFind("skills.training", out var layer, out var indicator);

        Assert.True(found);
        Assert.Equal(Layer.Skills, layer.Layer);
        Assert.Equal("skills.training", indicator.Id);
    }

    [Theory]
    [InlineData("skills.unknown")]
    [InlineData("SKILLS.TRAINING")]
    [InlineData("")]
    public void an_id_the_framework_does_not_have_is_not_found(string id) =>
        Assert.False(SmallFramework.Instance.TryFind(id, out _, out _));

    [Fact]
    public void the_framework_lists_every_indicator_layer_by_layer() =>
        Assert.Equal(SmallFramework.AllIndicatorIds, SmallFramework.Instance.Indicators.Select(i => i.Id));

    [Fact]
    public void a_layer_and_the_texts_of_levels_are_looked_up()
    {
        var data = SmallFramework.Instance.LayerOf(Layer.Data);

        Assert.Equal(Layer.Data, data.Layer);
        Assert.Equal("data.lineage at 4", data.Indicators.Single(i => i.Id == "data.lineage").DescriptorFor(4).En);
        Assert.Equal("स्तर 2", SmallFramework.Instance.LevelName(2).Hi);
    }
}
