using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Kawal.Web;

/// <summary>
/// Metrics, traces and log format of <c>kawal serve</c> (docs/operations.md). Metrics — requests (ASP.NET Core), the job
/// runs (meter <c>Kawal</c>), the PostgreSQL connection pool (meter <c>Npgsql</c>) — are served for Prometheus at
/// <c>/metrics</c>, to the networks of <c>Kawal:Metrics:AllowFrom</c> only (loopback unless set), unless
/// <c>Kawal:Metrics:Enabled</c> is false. Traces (requests, job runs) go to an OpenTelemetry collector when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set; either way their ids are in the log lines. <c>Kawal:Logging:Json</c> writes
/// the log as one JSON object a line, with the trace and span ids.
/// </summary>
internal static class Telemetry
{
    public const string Section = "Kawal:Metrics";
    public const string JsonLogsKey = "Kawal:Logging:Json";
    public const string MetricsPath = "/metrics";

    public static void ConfigureLogging(IConfiguration configuration, ILoggingBuilder logging)
    {
        // Every line logged inside a request or a job run carries its trace and span ids (as a scope).
        logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId);
        if (configuration.GetValue<bool?>(JsonLogsKey) == true)
        {
            logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
            });
        }
    }

    public static IServiceCollection AddTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(MetricsAccess.From(configuration));
        var otlp = !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("kawal"))
            .WithMetrics(m =>
            {
                m.AddAspNetCoreInstrumentation().AddMeter(JobMetrics.MeterName, "Npgsql").AddPrometheusExporter();
                if (otlp)
                {
                    m.AddOtlpExporter();
                }
            })
            .WithTracing(t =>
            {
                t.AddAspNetCoreInstrumentation(o => o.Filter = http => !http.Request.Path.StartsWithSegments(MetricsPath, StringComparison.Ordinal))
                    .AddSource(JobMetrics.MeterName);
                if (otlp)
                {
                    t.AddOtlpExporter();
                }
            });
        return services;
    }

    /// <summary>
    /// <c>/metrics</c> for Prometheus, answered before authentication to the allowed networks only; from anywhere else, and
    /// when turned off, the path is not found (404) like any other.
    /// </summary>
    public static IApplicationBuilder UseMetricsEndpoint(this IApplicationBuilder app)
    {
        var access = app.ApplicationServices.GetRequiredService<MetricsAccess>();
        return access.Enabled
            ? app.UseOpenTelemetryPrometheusScrapingEndpoint(http => http.Request.Path == MetricsPath && access.Allows(http.Connection.RemoteIpAddress))
            : app;
    }
}

/// <summary>Who may read <c>/metrics</c>: <c>Kawal:Metrics:Enabled</c> (default true) and <c>AllowFrom</c> (CIDR ranges; default loopback).</summary>
internal sealed record MetricsAccess(bool Enabled, IReadOnlyList<IPNetwork> AllowFrom)
{
    public static MetricsAccess From(IConfiguration configuration)
    {
        var section = configuration.GetSection(Telemetry.Section);
        var networks = TrustedProxies.List(section, "AllowFrom");
        if (networks.Count == 0)
        {
            networks = ["127.0.0.0/8", "::1/128"];
        }

        return new MetricsAccess(section.GetValue<bool?>("Enabled") ?? true, networks.Select(n => IPNetwork.TryParse(n, out var network)
            ? network
            : throw new KawalException($"{Telemetry.Section}:AllowFrom: '{n}' is not a network in CIDR form (e.g. 10.0.0.0/8)")).ToList());
    }

    public bool Allows(IPAddress? address)
    {
        if (address is null)
        {
            return false; // no peer address known
        }

        var v4 = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return AllowFrom.Any(n => n.Contains(v4));
    }
}
