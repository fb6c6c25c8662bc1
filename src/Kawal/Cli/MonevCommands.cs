using System.CommandLine;
using Kawal.Monev.Features;
using Kawal.Monev.Reports;
using Microsoft.Extensions.DependencyInjection;

namespace Kawal.Cli;

/// <summary>
/// <c>kawal monev refresh [--from] [--to]</c> (the job that keeps the dashboards' summary tables current; schedule it),
/// <c>kawal monev import denominators|commitments FILE</c> and <c>kawal report monev --region CODE|--national --period YYYY-MM --format pdf|xlsx|csv --out FILE</c>.
/// </summary>
internal static class MonevCommands
{
    public static Command Monev(CliIO io)
    {
        var monev = new Command("monev", "Monitoring of Inpres 2/2021");
        var from = new Option<string?>("--from") { Description = "First month YYYY-MM (default: the first month with data)" };
        var to = new Option<string?>("--to") { Description = "Last month YYYY-MM (default: the current month)" };
        var missing = new Option<bool>("--missing") { Description = "Only months never refreshed, then the current month" };
        var json = CliOptions.Json();
        var wait = CliOptions.Wait();
        var refresh = new Command("refresh", "Recompute the dashboards' summary tables (per month, one transaction each); one refresh at a time") { from, to, missing, json, wait };
        refresh.SetAction((parse, ct) => CommandRunner.RunAsync(io, async () =>
        {
            await using var sp = CommandRunner.Services(CliOptions.ResolveDatabase(parse));
            await CommandRunner.EnsureSchemaAsync(sp, ct);
            var refresher = sp.GetRequiredService<SummaryRefresher>();
            (refresher.Wait, refresher.Waiting) = (parse.GetValue(wait), CliOptions.Waiting(io));
            var caller = UserCommands.Operator();
            var summaries = new List<RefreshSummary>();
            if (parse.GetValue(missing))
            {
                foreach (var p in await refresher.MissingAsync(ct))
                {
                    summaries.Add(await refresher.RefreshAsync(p, p, caller, ct));
                }

                var now = Period.Of(sp.GetRequiredService<TimeProvider>().Today());
                summaries.Add(await refresher.RefreshAsync(now, now, caller, ct));
            }
            else
            {
                summaries.Add(await refresher.RefreshAsync(Month(parse.GetValue(from), "from"), Month(parse.GetValue(to), "to"), caller, ct));
            }

            if (parse.GetValue(json))
            {
                await CommandRunner.WriteJsonAsync(io, summaries);
                return ExitCodes.Ok;
            }

            foreach (var s in summaries)
            {
                await io.Out.WriteLineAsync($"monev summaries {s.From}..{s.To}: {s.Periods} month(s), {s.MemberRows:N0} membership rows, {s.LedgerRows:N0} ledger rows");
            }

            return ExitCodes.Ok;
        }));
        monev.Subcommands.Add(refresh);

        var import = new Command("import", "Import monev data from CSV or XLSX; rejected rows are explained in an error report");
        import.Subcommands.Add(ImportCommands.FileImport(io, "denominators", "Import denominators per region and year: BPS labour force and employed, non-ASN census counts, vulnerable-worker estimates",
            "CSV or XLSX: region_code, year, kind, value, source", (sp, request, ct) => sp.GetRequiredService<MonevImportsHandler>().DenominatorsAsync(request, ct)));
        import.Subcommands.Add(ImportCommands.FileImport(io, "commitments", "Import regional commitments as drafts (regulation, apbd, ptsp, bumd, census)",
            "CSV or XLSX: region_code, fiscal_year, kind and the kind's fields (docs/monev.md)", (sp, request, ct) => sp.GetRequiredService<MonevImportsHandler>().CommitmentsAsync(request, ct)));
        monev.Subcommands.Add(import);
        return monev;
    }

    public static Command Report(CliIO io)
    {
        var report = new Command("report", "Reports");
        var region = new Option<string?>("--region") { Description = "Province or regency/city code" };
        var national = new Option<bool>("--national") { Description = "The national six-monthly report on all addressees" };
        var period = new Option<string>("--period") { Description = "Month YYYY-MM", Required = true };
        var format = new Option<string>("--format") { Description = "pdf, xlsx or csv", DefaultValueFactory = _ => "pdf" };
        var output = new Option<string>("--out") { Description = "File to write", Required = true };
        var monev = new Command("monev", "A region's monev report (commitments, indicators, ranking, open recommendations) or the national one") { region, national, period, format, output };
        monev.SetAction((parse, ct) => CommandRunner.RunAsync(io, async () =>
        {
            var p = Month(parse.GetValue(period), "period") ?? throw new UsageException("--period is required", "period");
            var fmt = parse.GetValue(format)!.ToLowerInvariant();
            if (!ReportRenderer.Formats.Contains(fmt))
            {
                throw new UsageException($"--format must be pdf, xlsx or csv, not '{fmt}'", "format");
            }

            var code = parse.GetValue(region);
            if (string.IsNullOrWhiteSpace(code) == !parse.GetValue(national))
            {
                throw new UsageException("give either --region CODE or --national", "region");
            }

            await using var sp = CommandRunner.Services(CliOptions.ResolveDatabase(parse));
            await CommandRunner.EnsureSchemaAsync(sp, ct);
            var reports = sp.GetRequiredService<MonevReports>();
            var caller = UserCommands.Operator();
            var doc = code is null ? await reports.NationalAsync(p, caller, ct) : await reports.RegionAsync(code.Trim(), p, caller, ct);
            var bytes = ReportRenderer.Render(doc, fmt);
            var path = parse.GetValue(output)!;
            await File.WriteAllBytesAsync(path, bytes, ct);
            await io.Out.WriteLineAsync($"{doc.Title}: {bytes.Length:N0} bytes written to {path}");
            return ExitCodes.Ok;
        }));
        report.Subcommands.Add(monev);
        return report;
    }

    private static Period? Month(string? text, string field) =>
        string.IsNullOrWhiteSpace(text) ? null : Period.TryParse(text.Trim(), out var p) ? p : throw new UsageException($"--{field} must be a month YYYY-MM, not '{text}'", field);
}
