using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Configuration;

namespace Kawal.Web;

/// <summary>
/// Kawal behind a reverse proxy that terminates TLS (settings under <c>Kawal:ForwardedHeaders</c>, docs/operations.md).
/// Off by default: <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are then ignored, and the client is the TCP peer.
/// With <c>Enabled</c>, the headers are believed only from a peer listed in <c>KnownProxies</c> (addresses) or
/// <c>KnownNetworks</c> (CIDR ranges) — loopback when neither is given — and only the last <c>ForwardLimit</c> (1) entries,
/// the ones the trusted proxies added themselves. A forwarded <c>https</c> makes the request HTTPS: the cookies are Secure
/// and HSTS is sent; a forwarded client address is the one rate limits count. From any other peer the headers change
/// nothing, so rotating <c>X-Forwarded-For</c> does not make a new client.
/// </summary>
internal sealed class TrustedProxies(ForwardedHeadersOptions? options)
{
    public const string Section = "Kawal:ForwardedHeaders";

    /// <summary>The middleware's options; none when forwarded headers are off.</summary>
    public ForwardedHeadersOptions? Options { get; } = options;

    public static TrustedProxies From(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        if (!Flag(section, "Enabled"))
        {
            return new TrustedProxies(null);
        }

        var options = new ForwardedHeadersOptions
        {
            ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto,
            ForwardLimit = Limit(section),
        };
        var proxies = List(section, "KnownProxies");
        var networks = List(section, "KnownNetworks");
        if (proxies.Count + networks.Count > 0)
        {
            // Only what the operator listed: the framework's loopback defaults are dropped.
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var p in proxies)
            {
                options.KnownProxies.Add(IPAddress.TryParse(p, out var address)
                    ? address
                    : throw new KawalException($"{Section}:KnownProxies: '{p}' is not an IP address"));
            }

            foreach (var n in networks)
            {
                options.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(n, out var network)
                    ? network
                    : throw new KawalException($"{Section}:KnownNetworks: '{n}' is not a network in CIDR form (e.g. 10.0.0.0/8)"));
            }
        }

        return new TrustedProxies(options);
    }

    public IApplicationBuilder Use(IApplicationBuilder app) => Options is { } options ? app.UseForwardedHeaders(options) : app;

    private static bool Flag(IConfigurationSection section, string key) =>
        section[key] is not { Length: > 0 } text ? false
        : bool.TryParse(text, out var value) ? value
        : throw new KawalException($"{Section}:{key} must be true or false, not '{text}'");

    private static int Limit(IConfigurationSection section) =>
        section["ForwardLimit"] is not { Length: > 0 } text ? 1
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 ? n
        : throw new KawalException($"{Section}:ForwardLimit must be a whole number of proxies, 1 or more, not '{text}'");

    /// <summary>A list given as one value separated by commas, semicolons or spaces (an environment variable), or as an array.</summary>
    internal static List<string> List(IConfigurationSection section, string key)
    {
        var list = section.GetSection(key);
        var values = list.Value is { } one ? [one] : list.GetChildren().Select(c => c.Value ?? "");
        return values.SelectMany(v => v.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
    }
}
