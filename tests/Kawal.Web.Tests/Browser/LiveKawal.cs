using Kawal.Data;
using Kawal.Testing;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Playwright;

namespace Kawal.Web.Tests.Browser;

/// <summary>Kawal served by Kestrel on a free loopback port (the same host as <c>kawal serve</c>), and a headless Chromium.</summary>
public sealed class LiveKawal : IAsyncDisposable
{
    private readonly TestDatabase _db;
    private readonly IHost _host;
    private readonly IPlaywright _playwright;
    private readonly string _keys;

    private LiveKawal(TestDatabase db, IHost host, IPlaywright playwright, IBrowser browser, string baseUrl, string keys)
    {
        _db = db;
        _host = host;
        _playwright = playwright;
        Browser = browser;
        BaseUrl = baseUrl;
        _keys = keys;
    }

    public IBrowser Browser { get; }
    public string BaseUrl { get; }
    public IServiceProvider Services => _host.Services;

    public static async Task<LiveKawal> StartAsync(Engine engine = Engine.Sqlite)
    {
        var db = await TestDatabase.CreateAsync(engine);
        var keys = Directory.CreateTempSubdirectory("kawal-keys-").FullName;
        db.ShareAuditKey(keys);
        var host = KawalWeb.CreateHostBuilder(new Dictionary<string, string?>
        {
            [Settings.DatabaseKey] = db.ConnectionText,
            [Settings.CreateDatabaseKey] = "true",
            ["Kawal:KeysPath"] = keys,
            ["Kawal:AuditCheckpoints"] = Path.Combine(keys, Kawal.Identity.AuditCheckpoints.FileName),
            ["urls"] = "http://127.0.0.1:0",
        }).Build();
        await host.StartAsync();
        var address = host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = BrowserFactAttribute.Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        return new LiveKawal(db, host, playwright, browser, address, keys);
    }

    /// <summary>Opens a page that needs signing in, signs in as the user, and waits until the page itself shows.</summary>
    public async Task<IPage> SignInAsync(string path, string user, string password = "Rahasia-Kawal-2026")
    {
        var page = await Browser.NewPageAsync();
        await page.GotoAsync(BaseUrl + path);
        await page.Locator("input[name=username]").FillAsync(user);
        await page.Locator("input[name=password]").FillAsync(password);
        await page.Locator("form[data-testid=login-form] button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator("h1")).Not.ToContainTextAsync("Masuk");
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
        await _host.StopAsync();
        _host.Dispose();
        await _db.DisposeAsync();
        Directory.Delete(_keys, true);
    }
}
