using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace CoordinationPortal.Integration.Tests.Hardening;

/// <summary>What every API error must be: a ProblemDetails body with the status, a title, a trace id and no stack trace.</summary>
public static class Problem
{
    public static async Task<JsonElement> AssertAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.True("application/problem+json" == response.Content.Headers.ContentType?.MediaType, body);
        var problem = JsonSerializer.Deserialize<JsonElement>(body);
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("traceId").GetString()));
        AssertNoStackTrace(body);
        return problem;
    }

    public static void AssertNoStackTrace(string body)
    {
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception:", body, StringComparison.Ordinal);
        Assert.DoesNotContain(".cs:line", body, StringComparison.Ordinal);
    }

    /// <summary>The messages the problem lists for <paramref name="field"/> (a validation problem), or its detail.</summary>
    public static string Message(JsonElement problem, string field) =>
        problem.TryGetProperty("errors", out var errors) && errors.TryGetProperty(field, out var messages)
            ? string.Join(" ", messages.EnumerateArray().Select(m => m.GetString()))
            : problem.TryGetProperty("detail", out var detail) ? detail.GetString() ?? "" : "";

    /// <summary>A body of exactly <paramref name="json"/> sent as <paramref name="contentType"/>, whatever charset that names.</summary>
    public static StringContent Json(string json, string contentType = "application/json")
    {
        var content = new StringContent(json, System.Text.Encoding.UTF8);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        return content;
    }

    public static Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string url, HttpContent? content = null, string? language = null)
    {
        var request = new HttpRequestMessage(method, url) { Content = content };
        if (language is not null)
        {
            request.Headers.AcceptLanguage.ParseAdd(language);
        }

        return client.SendAsync(request);
    }

    public static Task<JsonElement> ReadAsync(HttpResponseMessage response) => response.Content.ReadFromJsonAsync<JsonElement>();
}
