using Kawal.Data;
using Kawal.Regions.Data;
using Kawal.Regions.Features.GetRegion;
using Kawal.Regions.Features.ListRegions;
using Kawal.Regions.Maps;
using Kawal.Ui;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Kawal.Regions;

/// <summary>Regions: Kemendagri provinces and regencies/cities with validity dates, and the province map.</summary>
public static class RegionsModule
{
    public static DataModule Data { get; } = new("regions", typeof(RegionsModule).Assembly, [new RegionsLoader()]);

    public static IServiceCollection AddRegions(this IServiceCollection services)
    {
        services.AddTransient<ListRegionsHandler>();
        services.AddTransient<GetRegionHandler>();
        services.AddSingleton<ProvinceMaps>();
        services.AddSingleton<RegionLookup>();
        return services;
    }

    public static IEndpointRouteBuilder MapRegions(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1/regions").WithTags("Regions").AllowAnonymous();
        api.MapGet("/", ListAsync)
            .WithName("ListRegions")
            .WithSummary("Provinces and regencies/cities valid on a date")
            .WithDescription("Filters: level (province|regency), parent (a province code), date (YYYY-MM-DD, default today).");
        api.MapGet("/{code}", GetAsync)
            .WithName("GetRegion")
            .WithSummary("One region with its parent, successor and children")
            .WithDescription("Children are those valid on date (default today, or the region's last valid day if it no longer exists).");
        return endpoints;
    }

    private static async Task<Results<Ok<RegionListResponse>, ValidationProblem>> ListAsync(
        string? level, string? parent, string? date, ListRegionsHandler handler, CancellationToken ct)
    {
        ListRegions query;
        try
        {
            query = ListRegions.FromText(level, parent, date);
        }
        catch (UsageException e)
        {
            return Api.Invalid(e);
        }

        var (asOf, regions) = await handler.HandleAsync(query, ct);
        return TypedResults.Ok(new RegionListResponse(asOf, regions.Count, regions.Select(RegionDto.From).ToList()));
    }

    private static async Task<Results<Ok<RegionDetailResponse>, ValidationProblem, ProblemHttpResult>> GetAsync(
        string code, string? date, GetRegionHandler handler, CancellationToken ct)
    {
        DateOnly? day = null;
        if (!string.IsNullOrEmpty(date))
        {
            if (!Dates.TryParseIso(date, out var d))
            {
                return Api.Invalid(new UsageException($"date '{date}' is not a date in the form YYYY-MM-DD", "date") { Indonesian = $"Tanggal '{date}' harus berupa tanggal (tahun-bulan-tanggal, misalnya 2025-03-31)." });
            }

            day = d;
        }

        var detail = await handler.HandleAsync(new GetRegion(code, day), ct);
        return detail is null
            ? Api.NotFound($"no region has the code '{code}'", $"Tidak ada wilayah dengan kode '{code}'.")
            : TypedResults.Ok(RegionDetailResponse.From(detail));
    }
}
