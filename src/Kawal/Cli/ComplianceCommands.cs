using System.CommandLine;
using Kawal.Compliance.Features;
using Kawal.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Kawal.Cli;

/// <summary>
/// <c>kawal compliance detect|cases|show|warn|skk|act|recover|close|letter|recovery|import</c>: the compliance
/// handlers, acting as the operator (<c>--as NAME</c>). Prosecutors record actions and recoveries in the web or API.
/// </summary>
internal static class ComplianceCommands
{
    private static readonly Option<string?> As = new("--as") { Description = "Act as this operator name (audited as cli:NAME)" };

    private static Caller Operator(ParseResult parse) => parse.GetValue(As) is { Length: > 0 } name ? Caller.Operator(name) : UserCommands.Operator();

    private static async Task PrintAsync(CliIO io, CaseDto k, bool json)
    {
        if (json)
        {
            await CommandRunner.WriteJsonAsync(io, k);
            return;
        }

        await io.Out.WriteLineAsync($"case {k.Number} (id {k.Id}): {k.Kind} {k.Name} ({k.SubjectKey}), region {k.RegionCode}: {k.Status}{(k.StepDue is { } d ? $", next step due {d}{(k.Overdue ? " — OVERDUE" : "")}" : "")}");
        await io.Out.WriteLineAsync($"  evidence: {k.Evidence}");
        if (k.SkkNumber is not null)
        {
            await io.Out.WriteLineAsync($"  SKK {k.SkkNumber} of {k.SkkDate} to {k.OfficeName} ({k.OfficeCode}): {new Rupiah(k.SkkAmount ?? 0)}, recovered {new Rupiah(k.Recovered)}");
        }

        if (k.OutstandingArrears is { } a)
        {
            await io.Out.WriteLineAsync($"  overdue contributions now: {new Rupiah(a)}");
        }

        foreach (var e in k.Events)
        {
            await io.Out.WriteLineAsync($"  {e.OnDate} {e.Kind} by {e.Actor}");
        }

        if (k.Sanction is { } s)
        {
            await io.Out.WriteLineAsync($"  TMP2T from {s.StartDate}{(s.EndDate is null ? "" : " to " + s.EndDate)}: {s.Basis}");
        }
    }

    private static Command Step(CliIO io, string name, string description, Argument<long> id, Func<ParseResult, IServiceProvider, Caller, CancellationToken, Task<CaseDto>> act, params Option[] options) =>
        CommandRunner.IdVerb(io, name, description, id, As, (parse, sp, ct) => act(parse, sp, Operator(parse), ct), PrintAsync, options);

    public static Command Build(CliIO io)
    {
        var compliance = new Command("compliance", "Compliance and enforcement: detection, cases, warning letters, SKK, recoveries");
        var asOf = new Option<string?>("--as-of") { Description = "Day of the detection YYYY-MM-DD (default today)" };
        var detectWait = CliOptions.Wait();
        var detect = new Command("detect", "Detect PWBD, PDS TK, PDS Upah, PDS Program and arrears; one open case per kind and employer") { asOf, As, detectWait };
        detect.SetAction((parse, ct) => CommandRunner.RunAsync(io, async () =>
        {
            DateOnly? day = parse.GetValue(asOf) is { } text ? Dates.TryParseIso(text, out var d) ? d : throw new UsageException("--as-of must be YYYY-MM-DD", "as-of") : null;
            await using var sp = CommandRunner.Services(CliOptions.ResolveDatabase(parse));
            await CommandRunner.EnsureSchemaAsync(sp, ct);
            var detector = sp.GetRequiredService<ComplianceDetector>();
            (detector.Wait, detector.Waiting) = (parse.GetValue(detectWait), CliOptions.Waiting(io));
            var s = await detector.RunAsync(day, Operator(parse), ct);
            await io.Out.WriteLineAsync($"detection {s.AsOf}: {string.Join(", ", s.Open.Select(x => $"{x.Key} {x.Value}"))}; cases created {s.Created}, updated {s.Updated}, resolved {s.Resolved}");
            return ExitCodes.Ok;
        }));
        compliance.Subcommands.Add(detect);

        var status = new Option<string?>("--status") { Description = "detected, warning1, warning2, skk, closed or open" };
        var kind = new Option<string?>("--kind") { Description = "pwbd, pds_workers, pds_wage, pds_programme, arrears" };
        var overdue = new Option<bool>("--overdue") { Description = "Only cases past their step's deadline" };
        var listJson = CliOptions.Json();
        var list = new Command("cases", "Cases, newest first") { status, kind, overdue, listJson };
        list.SetAction((parse, ct) => CommandRunner.RunAsync(io, async () =>
        {
            await using var sp = CommandRunner.Services(CliOptions.ResolveDatabase(parse));
            await CommandRunner.EnsureSchemaAsync(sp, ct);
            var page = await sp.GetRequiredService<Cases>().ListAsync(new CaseSearch(parse.GetValue(status), parse.GetValue(kind), OverdueOnly: parse.GetValue(overdue), PageSize: 200), UserCommands.Operator(), ct);
            if (parse.GetValue(listJson))
            {
                await CommandRunner.WriteJsonAsync(io, page);
                return ExitCodes.Ok;
            }

            await io.Out.WriteLineAsync($"{page.Total} cases");
            foreach (var k in page.Items)
            {
                await io.Out.WriteLineAsync($"  {k.Id} {k.Number} {k.Kind} {k.Name} {k.RegionCode} {k.Status}{(k.Overdue ? " OVERDUE" : "")} {new Rupiah(k.Amount)}");
            }

            return ExitCodes.Ok;
        }));
        compliance.Subcommands.Add(list);

        var id = new Argument<long>("id") { Description = "The case's id" };
        var date = new Option<string?>("--date") { Description = "YYYY-MM-DD (default today)" };
        compliance.Subcommands.Add(Step(io, "show", "One case with its evidence and events", id,
            async (p, sp, c, ct) => await sp.GetRequiredService<Cases>().GetAsync(p.GetValue(id), c, ct) ?? throw new NotFoundException($"no case {p.GetValue(id)}")));
        var letter = new Option<int>("--letter") { Description = "1 or 2", Required = true };
        compliance.Subcommands.Add(Step(io, "warn", "Send warning letter 1 or 2", id,
            (p, sp, c, ct) => sp.GetRequiredService<Cases>().WarnAsync(p.GetValue(id), p.GetValue(letter) is 1 or 2 ? p.GetValue(letter) : throw new UsageException("--letter must be 1 or 2", "letter"),
                new WarningInput(p.GetValue(date)), c, ct), letter, date));
        var number = new Option<string>("--number") { Description = "The SKK's number", Required = true };
        var office = new Option<string?>("--office") { Description = "kejari:REGENCY or kejati:PROVINCE (default the Kejari of the case's region)" };
        compliance.Subcommands.Add(Step(io, "skk", "Hand the case to a prosecutors' office (starts the TMP2T sanction)", id,
            (p, sp, c, ct) => sp.GetRequiredService<Cases>().HandOverAsync(p.GetValue(id), new SkkInput(p.GetValue(number), p.GetValue(date), p.GetValue(office)), c, ct), number, date, office));
        var reason = new Option<string>("--reason") { Description = "paid, registered, uncollectible, resolved", Required = true };
        var note = new Option<string?>("--note") { Description = "A note" };
        compliance.Subcommands.Add(Step(io, "close", "Close a case (lifts its sanction)", id,
            (p, sp, c, ct) => sp.GetRequiredService<Cases>().CloseAsync(p.GetValue(id), new CloseInput(p.GetValue(reason), p.GetValue(date), p.GetValue(note)), c, ct), reason, date, note));

        var letterKind = new Option<string>("--kind") { Description = "warning1, warning2 or skk", Required = true };
        var output = new Option<string>("--out") { Description = "The PDF file to write", Required = true };
        var pdf = new Command("letter", "Write a case's letter as PDF") { id, letterKind, output };
        pdf.SetAction((parse, ct) => CommandRunner.RunAsync(io, async () =>
        {
            await using var sp = CommandRunner.Services(CliOptions.ResolveDatabase(parse));
            await CommandRunner.EnsureSchemaAsync(sp, ct);
            var k = await sp.GetRequiredService<Cases>().GetAsync(parse.GetValue(id), UserCommands.Operator(), ct) ?? throw new UsageException($"no case {parse.GetValue(id)}", "id");
            var bytes = Letters.Kinds.Contains(parse.GetValue(letterKind)) ? Letters.Render(k, parse.GetValue(letterKind)!) : throw new UsageException("--kind must be warning1, warning2 or skk", "kind");
            await File.WriteAllBytesAsync(parse.GetValue(output)!, bytes, ct);
            await io.Out.WriteLineAsync($"wrote {parse.GetValue(output)} ({bytes.Length:N0} bytes)");
            return ExitCodes.Ok;
        }));
        compliance.Subcommands.Add(pdf);

        var region = new Option<string?>("--region") { Description = "Province or regency code" };
        var from = new Option<string?>("--from") { Description = "First month YYYY-MM" };
        var to = new Option<string?>("--to") { Description = "Last month YYYY-MM" };
        var statsJson = CliOptions.Json();
        var recovery = new Command("recovery", "SKKs handed over and recovered, per prosecutors' office") { region, from, to, statsJson };
        recovery.SetAction((parse, ct) => CommandRunner.RunAsync(io, async () =>
        {
            await using var sp = CommandRunner.Services(CliOptions.ResolveDatabase(parse));
            await CommandRunner.EnsureSchemaAsync(sp, ct);
            var s = await sp.GetRequiredService<RecoveryStatistics>().StatsAsync(parse.GetValue(region), null, parse.GetValue(from), parse.GetValue(to), UserCommands.Operator(), ct);
            if (parse.GetValue(statsJson))
            {
                await CommandRunner.WriteJsonAsync(io, s);
                return ExitCodes.Ok;
            }

            await io.Out.WriteLineAsync($"{s.Region ?? "Indonesia"} {s.From}–{s.To}: {s.SkkCount} SKK, {new Rupiah(s.SkkAmount ?? 0)} handed over, {new Rupiah(s.Recovered ?? 0)} recovered ({s.RecoveryPct?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "–"} %)");
            foreach (var o in s.Offices)
            {
                await io.Out.WriteLineAsync($"  {o.Name}: {o.SkkCount} SKK, {new Rupiah(o.SkkAmount)}, recovered {new Rupiah(o.Recovered)}");
            }

            return ExitCodes.Ok;
        }));
        compliance.Subcommands.Add(recovery);

        var import = new Command("import", "Import a business registry or minimum wages");
        import.Subcommands.Add(ImportCommands.FileImport(io, "businesses", "Business registry (OSS/labour report): nib, name, region_code, sector, workers, source", "CSV or XLSX",
            (sp, request, ct) => sp.GetRequiredService<ComplianceImports>().BusinessesAsync(request, ct)));
        import.Subcommands.Add(ImportCommands.FileImport(io, "minimum-wages", "Minimum wages: region_code, year, kind (UMP/UMK), amount, legal_basis, source", "CSV or XLSX",
            (sp, request, ct) => sp.GetRequiredService<ComplianceImports>().WagesAsync(request, ct)));
        compliance.Subcommands.Add(import);
        return compliance;
    }
}
