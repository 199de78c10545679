using System.Collections.Concurrent;
using CoordinationPortal.Web.Seeding;
using Microsoft.Playwright;

namespace CoordinationPortal.Browser.Tests;

/// <summary>
/// An interactive page served from the output cache carries the component descriptors of the render that was cached;
/// Blazor must still start its circuit from them, for the second visit as for the first.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed class CachedPageBrowserTests(BrowserFixture fixture)
{
    private static readonly DemoAccount Viewer = DemoSeeder.Accounts.Single(a => a.Role == "Viewer");

    [Fact]
    public async Task a_cached_interactive_page_still_starts_its_circuit()
    {
        var page = await fixture.SignedInPageAsync(Viewer.Email, Viewer.Password);
        var errors = new ConcurrentQueue<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Enqueue(message.Text);
            }
        };

        string? first = null;
        for (var visit = 0; visit < 2; visit++)
        {
            var frames = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var closed = false;
            void OnSocket(object? sender, IWebSocket socket)
            {
                if (socket.Url.Contains("/_blazor", StringComparison.Ordinal))
                {
                    socket.FrameReceived += (_, _) => frames.TrySetResult();
                    socket.Close += (_, _) => closed = true;
                }
            }

            page.WebSocket += OnSocket;
            var response = await page.GotoAsync("/framework");
            Assert.NotNull(response);
            Assert.True(response.Ok, $"/framework answered {response.Status}");
            var body = await response.TextAsync();
            if (first is null)
            {
                first = body;
            }
            else
            {
                // The very same bytes, antiforgery token and data-protected descriptors included: served from the cache.
                Assert.Equal(first, body);
            }

            await frames.Task.WaitAsync(TimeSpan.FromSeconds(30));
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            await page.WaitForTimeoutAsync(1500);
            Assert.False(closed, $"visit {visit + 1}: the circuit's connection closed");
            Assert.False(await page.Locator("#blazor-error-ui").IsVisibleAsync(), $"visit {visit + 1}: Blazor's error bar is shown");
            page.WebSocket -= OnSocket;
        }

        Assert.True(errors.IsEmpty, "console errors:\n" + string.Join("\n", errors));
    }
}
