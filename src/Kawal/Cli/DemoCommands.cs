using System.CommandLine;
using System.Globalization;
using Kawal.Demo;
using Microsoft.Extensions.DependencyInjection;

namespace Kawal.Cli;

/// <summary><c>kawal demo seed [--participants N] [--seed S] [--from YYYY-MM] [--to YYYY-MM] [--scenario seeds] [--bill-from YYYY-MM] [--json]</c>.</summary>
internal static class DemoCommands
{
    public static Command Build(CliIO io)
    {
        var demo = new Command("demo", "Synthetic demo data (marked as such everywhere)");
        var participants = new Option<int>("--participants") { Description = "How many participants (default 10,000)", DefaultValueFactory = _ => DemoOptions.DefaultParticipants };
        var seed = new Option<int>("--seed") { Description = "Random seed: the same seed gives the same data (default 2021)", DefaultValueFactory = _ => DemoOptions.DefaultSeed };
        var from = new Option<string>("--from") { Description = "First month of activity YYYY-MM (default 2021-01)", DefaultValueFactory = _ => "2021-01" };
        var to = new Option<string?>("--to") { Description = "Last month YYYY-MM (default: last month)" };
        var scenario = new Option<string?>("--scenario") { Description = "seeds: also reproduce the figures of the news reports the project comes from (docs/demo.md)" };
        var billFrom = new Option<string?>("--bill-from") { Description = "First month billed (default: --from for up to 50,000 participants, else the last 12 months; after --to: nothing billed)" };
        var json = CliOptions.Json();
        var command = new Command("seed", "Build a deterministic synthetic dataset through the product's own handlers") { participants, seed, from, to, scenario, billFrom, json };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(io, async () =>
        {
            await using var sp = CommandRunner.Services(CliOptions.ResolveDatabase(parse));
            await CommandRunner.EnsureSchemaAsync(sp, ct);
            var today = sp.GetRequiredService<TimeProvider>().Today();
            var options = new DemoOptions(parse.GetValue(participants), parse.GetValue(seed), Month(parse.GetValue(from)!, "from"),
                parse.GetValue(to) is { } t ? Month(t, "to") : Period.Of(today).Previous, parse.GetValue(scenario), parse.GetValue(billFrom) is { } b ? Month(b, "bill-from") : null);
            var summary = await sp.GetRequiredService<DemoSeeder>().SeedAsync(options, io.Err, ct);
            if (parse.GetValue(json))
            {
                await CommandRunner.WriteJsonAsync(io, summary);
                return ExitCodes.Ok;
            }

            await io.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"demo seed {summary.Seed}{(summary.Scenario is { } s ? $" (scenario {s})" : "")}: {summary.Employers:N0} employers, {summary.Participants:N0} participants, {summary.Bills:N0} bills over {summary.BillingMonths} months, {summary.Payments:N0} payments, {summary.Commitments:N0} commitments, {summary.Claims:N0} claims ({summary.ClaimsRefused:N0} refused), {summary.ClaimPayments:N0} benefit payments, {summary.ComplianceCases:N0} compliance cases ({summary.Skk} SKK), {summary.Visits} visits in {summary.Seconds:0.0} s"));
            return ExitCodes.Ok;
        }));
        demo.Subcommands.Add(command);
        return demo;
    }

    private static Period Month(string text, string option) =>
        Period.TryParse(text.Trim(), out var p) ? p : throw new UsageException($"--{option} must be a month YYYY-MM, not '{text}'", option);
}
