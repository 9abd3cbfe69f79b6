using Hft.Server.Tests.Support;
using Microsoft.Playwright;

namespace Hft.WebConsole.Tests.Support;

/// <summary>
/// One real node (development profile, feed off: marks stay at the profile's 50000 and 3000) and one headless
/// chromium - the system's Debian package, driven by Playwright's own driver (never a downloaded browser) - shared
/// by every browser test. Each test opens its own browser context (its own session) on the server's loopback address.
/// </summary>
public sealed class ConsoleFixture : IAsyncLifetime
{
    /// <summary>Debian's chromium (scripts/test-lib.sh installs it for the test run).</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public ApiServerFixture Server { get; } = new();

    /// <summary>Why the browser tests cannot run here, or null.</summary>
    public static string? MissingBrowser => File.Exists(ChromiumPath)
        ? null
        : $"chromium is not installed at {ChromiumPath} (apt-get install chromium; ./hft test installs it)";

    /// <summary>Reports the calling test skipped, with the reason, when there is no browser to run it in.</summary>
    public static void RequireBrowser() => Skip.If(MissingBrowser is not null, MissingBrowser);

    public IBrowser Browser => _browser ?? throw new InvalidOperationException(MissingBrowser ?? "browser not started");

    public async Task InitializeAsync()
    {
        await Server.InitializeAsync();
        if (MissingBrowser is not null) return;
        Assertions.SetDefaultExpectTimeout(20_000); // a busy 2-core machine: generous, and every wait is on a condition
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ChromiumPath, Headless = true });
    }

    /// <summary>A fresh browser context and page (no shared storage) with the server (or another) as base URL.</summary>
    public async Task<IPage> NewPageAsync(int width = 1600, int height = 1000, ApiServerFixture? server = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = (server ?? Server).BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        context.SetDefaultTimeout(20_000);
        var page = await context.NewPageAsync();
        page.PageError += (_, error) => Errors.Add(error);
        return page;
    }

    /// <summary>Uncaught script errors of every page (a test asserts none happened).</summary>
    public List<string> Errors { get; } = [];

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
        await Server.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ConsoleCollection : ICollectionFixture<ConsoleFixture>
{
    public const string Name = "console";
}
