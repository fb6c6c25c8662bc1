using System.CommandLine;
using Kawal.Regions;
using Kawal.Regions.Features.ListRegions;
using Microsoft.Extensions.DependencyInjection;

namespace Kawal.Cli;

internal static class RegionsCommands
{
    public static Command Build(CliIO io)
    {
        var regions = new Command("regions", "Provinces and regencies/cities (Kemendagri codes)");
        regions.Subcommands.Add(List(io));
        return regions;
    }

    private static Command List(CliIO io)
    {
        var level = new Option<string?>("--level") { Description = "province or regency" };
        level.AcceptOnlyFromAmong(Region.Province, Region.Regency);
        var parent = new Option<string?>("--parent") { Description = "Only the regencies/cities of this province code" };
        var date = new Option<string?>("--date") { Description = "Regions valid on this date (YYYY-MM-DD, default today)" };
        var json = CliOptions.Json();
        var command = new Command("list", "List regions valid on a date") { level, parent, date, json };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(io, async () =>
        {
            var query = ListRegions.FromText(parse.GetValue(level), parse.GetValue(parent), parse.GetValue(date));
            await using var sp = CommandRunner.Services(CliOptions.ResolveDatabase(parse));
            await CommandRunner.EnsureSchemaAsync(sp, ct);
            var (_, list) = await sp.GetRequiredService<ListRegionsHandler>().HandleAsync(query, ct);
            if (parse.GetValue(json))
            {
                await CommandRunner.WriteJsonAsync(io, list.Select(RegionDto.From));
                return ExitCodes.Ok;
            }

            foreach (var r in list)
            {
                await io.Out.WriteLineAsync($"{r.Code,-6} {r.Type,-9} {r.Name}");
            }

            await io.Out.WriteLineAsync($"{list.Count} region(s)");
            return ExitCodes.Ok;
        }));
        return command;
    }
}
