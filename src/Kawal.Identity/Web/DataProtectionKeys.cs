using System.Xml.Linq;
using Dapper;
using Kawal.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Kawal.Identity.Web;

/// <summary>
/// The ASP.NET Core data-protection key ring (the keys of antiforgery tokens and cookies) in the database (table
/// <c>data_protection_keys</c>), so that every node on one database protects and unprotects with the same keys: a form
/// rendered by one node posts to another. Any node may add a key (the framework creates one when none is active and
/// rolls them before they expire); a key is never changed once written, so two nodes adding keys at once keep both.
/// </summary>
public sealed class DataProtectionKeys(Database db, TimeProvider time) : IXmlRepository
{
    // IXmlRepository is synchronous: the framework reads the ring at its first use and about once a day after, and writes
    // a key only when it creates one, so blocking these rare calls on the asynchronous database access costs nothing.
    public IReadOnlyCollection<XElement> GetAllElements() => Task.Run(() => AllAsync()).GetAwaiter().GetResult();

    public void StoreElement(XElement element, string friendlyName) => Task.Run(() => StoreAsync(element, friendlyName)).GetAwaiter().GetResult();

    private async Task<IReadOnlyCollection<XElement>> AllAsync()
    {
        await using var c = await db.OpenAsync();
        var rows = await c.QueryAsync<string>("SELECT xml FROM data_protection_keys ORDER BY created_ms, name");
        return [.. rows.Select(x => XElement.Parse(x))];
    }

    private async Task StoreAsync(XElement element, string friendlyName)
    {
        await using var c = await db.OpenAsync();
        // The framework names keys "key-{guid}": unique, so a name met again is the same key written twice.
        await c.ExecuteAsync("INSERT INTO data_protection_keys (name, xml, created_ms) VALUES (@name, @xml, @now) ON CONFLICT (name) DO NOTHING",
            new { name = friendlyName, xml = element.ToString(SaveOptions.DisableFormatting), now = time.GetUtcNow().ToUnixTimeMilliseconds() });
    }
}

public static class DataProtectionKeysExtensions
{
    /// <summary>Keeps the data-protection key ring in the database (instead of a node's keys folder).</summary>
    public static IDataProtectionBuilder PersistKeysToDatabase(this IDataProtectionBuilder builder)
    {
        builder.Services.AddSingleton<IConfigureOptions<Microsoft.AspNetCore.DataProtection.KeyManagement.KeyManagementOptions>>(sp =>
            new ConfigureOptions<Microsoft.AspNetCore.DataProtection.KeyManagement.KeyManagementOptions>(o =>
                o.XmlRepository = new DataProtectionKeys(sp.GetRequiredService<Database>(), sp.GetRequiredService<TimeProvider>())));
        return builder;
    }
}
