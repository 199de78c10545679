using CoordinationPortal.Domain.Probes;

namespace CoordinationPortal.Domain.Tests.Probes;

public sealed class ReasonExcerptTests
{
    [Theory]
    [InlineData("connect failed: db_password=hunter2 host=10.0.0.5", "hunter2")]
    [InlineData("{\"error\":\"bad\",\"api_key\":\"sk-live-abcdef\"}", "sk-live-abcdef")]
    [InlineData("SECRET: s3cr3t-value; next", "s3cr3t-value")]
    [InlineData("token=abc.def.ghi&x=1", "abc.def.ghi")]
    [InlineData("Authorization: Bearer eyJhbGciOi.eyJzdWIi.sig", "eyJhbGciOi")]
    [InlineData("upstream postgres://portal:pa55word@db.internal:5432/x failed", "pa55word")]
    [InlineData("AWS_SECRET_ACCESS_KEY wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY0", "wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY0")]
    [InlineData("passwd = 'quoted secret'", "quoted secret")]
    public void values_that_look_like_secrets_are_redacted(string text, string secret)
    {
        var excerpt = ReasonExcerpt.Sanitize(text);
        Assert.NotNull(excerpt);
        Assert.DoesNotContain(secret, excerpt, StringComparison.Ordinal);
        Assert.Contains(ReasonExcerpt.Redacted, excerpt, StringComparison.Ordinal);
    }

    [Fact]
    public void an_ordinary_server_message_is_kept_as_it_is() =>
        Assert.Equal("The model `llama-3` does not exist.", ReasonExcerpt.Sanitize("The model `llama-3` does not exist."));

    [Fact]
    public void control_characters_become_single_spaces_and_the_ends_are_trimmed() =>
        Assert.Equal("line one line two bell", ReasonExcerpt.Sanitize("\r\n line one\r\n\tline two\u0007bell\u202e\n"));

    [Fact]
    public void the_excerpt_is_cut_to_its_limit_with_an_ellipsis()
    {
        var excerpt = ReasonExcerpt.Sanitize(string.Join(' ', Enumerable.Repeat("word", 400)))!;
        Assert.True(excerpt.Length <= ReasonExcerpt.MaxLength, $"{excerpt.Length} characters");
        Assert.EndsWith("…", excerpt, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" \r\n\t ")]
    public void nothing_printable_is_no_excerpt(string? text) => Assert.Null(ReasonExcerpt.Sanitize(text));

    [Fact]
    public void an_older_reason_whose_detail_was_the_servers_words_shows_it_only_as_an_excerpt()
    {
        var old = new ProbeReason(ReasonCode.HttpStatus, "/v1/chat/completions", 500, Detail: "db_password=hunter2");
        Assert.Null(old.PublicDetail);
        Assert.DoesNotContain("hunter2", old.ServerExcerpt, StringComparison.Ordinal);

        var model = new ProbeReason(ReasonCode.ModelNotServed, "/v1/models", Detail: "llama-3");
        Assert.Equal("llama-3", model.PublicDetail);
        Assert.Null(model.ServerExcerpt);
    }
}
