namespace CoordinationPortal.Domain.Tests.Framework;

public sealed class LocalizedTextTests
{
    private static readonly LocalizedText Readiness = new("Readiness", "तत्परता");

    [Theory]
    [InlineData("hi-IN")]
    [InlineData("hi")]
    [InlineData("HI-in")]
    public void hindi_speakers_get_the_hindi_text(string language) =>
        Assert.Equal("तत्परता", Readiness.For(language));

    [Theory]
    [InlineData("en")]
    [InlineData("en-IN")]
    [InlineData("ta-IN")]
    [InlineData("")]
    public void everyone_else_gets_the_english_text(string language) =>
        Assert.Equal("Readiness", Readiness.For(language));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void hindi_falls_back_to_english_where_the_hindi_text_is_missing(string hindi) =>
        Assert.Equal("Readiness", new LocalizedText("Readiness", hindi).For("hi-IN"));
}
