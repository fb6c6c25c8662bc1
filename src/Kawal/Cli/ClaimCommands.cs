using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Kawal.Claims.Features;
using Kawal.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Kawal.Cli;

/// <summary>
/// <c>kawal claims submit|show|list|verify|approve|reject|pay|stats|history import</c>, <c>kawal pensions run</c> and
/// <c>kawal jht post|rate|returns|statement</c>: the same handlers as the API. The operator acts as <c>cli:NAME</c>
/// (<c>--as NAME</c>, default the shell user), so that the four-eyes rule holds on the command line too.
/// </summary>
internal static class ClaimCommands
{
    private static readonly Option<string?> As = new("--as") { Description = "Act as this operator name (audited as cli:NAME; four eyes: the approver must differ from the taker and verifier)" };

    private static Caller Operator(ParseResult parse) => parse.GetValue(As) is { Length: > 0 } name ? Caller.Operator(name) : UserCommands.Operator();

    private static Command Verb(CliIO io, string name, string description, Argument<long> id, Func<ParseResult, IServiceProvider, Caller, CancellationToken, Task<ClaimDto>> act, params Option[] options) =>
        CommandRunner.IdVerb(io, name, description, id, As, (parse, sp, ct) => act(parse, sp, Operator(parse), ct), PrintAsync, options);

    private static async Task PrintAsync(CliIO io, ClaimDto k, bool json)
    {
        if (json)
        {
            await CommandRunner.WriteJsonAsync(io, k);
            return;
        }

        await io.Out.WriteLineAsync($"claim {k.Number} (id {k.Id}): {k.Programme} {k.Kind}{(k.Reason is null ? "" : " " + k.Reason)}, {k.Name} ({k.Nik}), event {k.EventDate}, region {k.RegionCode}: {k.Status}");
        foreach (var check in k.Checks)
        {
            await io.Out.WriteLineAsync($"  {(check.Passed ? "✓" : "✗")} {check.Rule}: {check.MessageEn}{(check.Citation is null ? "" : $" [{check.Citation}]")}");
        }

        if (k.Benefit is { } b)
        {
            await io.Out.WriteLineAsync($"  benefit {new Rupiah(b.Total)}{(b.Monthly is { } m ? $" (monthly {new Rupiah(m)})" : "")}{(b.ScholarshipEligible ? $", scholarship up to {new Rupiah(b.ScholarshipMaximum)}" : "")}");
            foreach (var step in b.Trace)
            {
                await io.Out.WriteLineAsync($"    {step.DescriptionEn}{(step.Amount is { } a ? $": {new Rupiah(a)}" : step.Value is { } v ? $": {v.ToString(CultureInfo.InvariantCulture)}{(step.Unit is null ? "" : " " + step.Unit)}" : "")}{(step.Citation is null ? "" : $" [{step.Citation}]")}");
            }
        }

        foreach (var h in k.Heirs)
        {
            await io.Out.WriteLineAsync($"  heir {h.Seq} {h.Name} ({h.Relation}, rank {h.Rank}){(h.Entitled ? $": {new Rupiah(h.Share)}" : ": not entitled")}");
        }

        var missing = k.Documents.Where(d => d.Required && !d.Provided).Select(d => d.Code).ToList();
        if (missing.Count > 0)
        {
            await io.Out.WriteLineAsync($"  documents missing: {string.Join(", ", missing)}");
        }

        foreach (var p in k.Payments)
        {
            await io.Out.WriteLineAsync($"  paid {p.Kind} {p.Seq} {p.Period}: {new Rupiah(p.Amount)} ref {p.Reference} on {p.PaidOn}");
        }

        if (k.Scholarships.Count > 0)
        {
            await io.Out.WriteLineAsync($"  scholarship: {k.Scholarships.Count} yearly payments, {new Rupiah(k.Scholarships.Sum(s => s.Amount))} ({k.Scholarships.Count(s => s.Status == "paid")} paid)");
        }

        if (k.Workflow.RejectReason is { } why)
        {
            await io.Out.WriteLineAsync($"  rejected ({k.Workflow.RejectRule}): {why}");
        }
    }

    public static Command Claims(CliIO io)
    {
        var claims = new Command("claims", "Claims for JKM, JKK, JHT, JP and JKP benefits");
        var file = new Option<FileInfo?>("--file") { Description = "The claim as JSON (the API's body: nik, programme, kind, eventDate, heirs, documents, …)" };
        var nik = new Option<string?>("--nik") { Description = "Participant's NIK or KPJ" };
        var programme = new Option<string?>("--programme") { Description = "JKM, JKK, JHT, JP or JKP" };
        var kind = new Option<string?>("--kind") { Description = "death, total_disability, partial_disability, stmb, full, partial, old_age, job_loss" };
        var eventDate = new Option<string?>("--event-date") { Description = "YYYY-MM-DD" };
        var reason = new Option<string?>("--reason") { Description = "JHT full: retirement, resignation, …; JKP: the cause of termination" };
        var documents = new Option<string?>("--documents") { Description = "Comma-separated document codes provided (docs/claims.md)" };
        var bank = new Option<string?>("--bank-account") { Description = "Recipient's bank account" };
        var json = CliOptions.Json();
        var submit = new Command("submit", "Take a claim: eligibility from the data, benefit with its trace") { file, nik, programme, kind, eventDate, reason, documents, bank, json, As };
        submit.SetAction((parse, ct) => CommandRunner.RunAsync(io, async () =>
        {
            ClaimInput input;
            if (parse.GetValue(file) is { } f)
            {
                try
                {
                    input = JsonSerializer.Deserialize<ClaimInput>(await File.ReadAllTextAsync(f.FullName, ct), CliOptions.JsonOutput)
                        ?? throw new UsageException("the claim file is empty", "file");
                }
                catch (JsonException x)
                {
                    throw new UsageException($"the claim file is not valid JSON: {x.Message}", "file");
                }
                catch (IOException x)
                {
                    throw new UsageException($"cannot read {f.FullName}: {x.Message}", "file");
                }
            }
            else
            {
                input = new ClaimInput(parse.GetValue(nik), parse.GetValue(programme), parse.GetValue(kind), parse.GetValue(eventDate), parse.GetValue(reason),
                    BankAccount: parse.GetValue(bank), Documents: parse.GetValue(documents)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            }

            await using var sp = CommandRunner.Services(CliOptions.ResolveDatabase(parse));
            await CommandRunner.EnsureSchemaAsync(sp, ct);
            ClaimDto claim;
            try
            {
                claim = await sp.GetRequiredService<ClaimsHandler>().SubmitAsync(input, Operator(parse), ct);
            }
            catch (NotFoundException x)
            {
                throw new UsageException(x.Message, "nik");
            }

            await PrintAsync(io, claim, parse.GetValue(json));
            return claim.Status == "rejected" ? ExitCodes.Failure : ExitCodes.Ok;
        }));
        claims.Subcommands.Add(submit);

        var id = new Argument<long>("id") { Description = "The claim's id" };
        claims.Subcommands.Add(Verb(io, "show", "One claim with its checks, benefit trace, heirs and payments", id,
            async (parse, sp, caller, ct) => await sp.GetRequiredService<ClaimsHandler>().GetAsync(parse.GetValue(id), caller, ct) ?? throw new NotFoundException($"no claim {parse.GetValue(id)}")));
        var verifyDocs = new Option<string?>("--documents") { Description = "Comma-separated document codes now provided" };
        claims.Subcommands.Add(Verb(io, "verify", "Documents checked", id, (parse, sp, caller, ct) => sp.GetRequiredService<ClaimsHandler>().VerifyAsync(parse.GetValue(id),
            new VerifyInput(parse.GetValue(verifyDocs)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)), caller, ct), verifyDocs));
        claims.Subcommands.Add(Verb(io, "approve", "Approve a verified claim (another officer than the taker and verifier)", id,
            (parse, sp, caller, ct) => sp.GetRequiredService<ClaimsHandler>().ApproveAsync(parse.GetValue(id), caller, ct)));
        var why = new Option<string>("--reason") { Description = "Why the claim is rejected", Required = true };
        claims.Subcommands.Add(Verb(io, "reject", "Reject a claim with a reason", id,
            (parse, sp, caller, ct) => sp.GetRequiredService<ClaimsHandler>().RejectAsync(parse.GetValue(id), new RejectInput(parse.GetValue(why)), caller, ct), why));
        var reference = new Option<string>("--reference") { Description = "The bank transfer's reference (idempotent)", Required = true };
        var paidOn = new Option<string?>("--paid-on") { Description = "YYYY-MM-DD (default today)" };
        claims.Subcommands.Add(Verb(io, "pay", "Record the payment of an approved claim", id,
            (parse, sp, caller, ct) => sp.GetRequiredService<ClaimsHandler>().PayAsync(parse.GetValue(id), new PayInput(parse.GetValue(reference), parse.GetValue(paidOn)), caller, ct), reference, paidOn));

        var status = new Option<string?>("--status") { Description = "submitted, verified, approved, paid, rejected" };
        var region = new Option<string?>("--region") { Description = "Province or regency code" };
        var listJson = CliOptions.Json();
        var list = new Command("list", "Claims, newest first") { status, programme, region, listJson };
        list.SetAction((parse, ct) => CommandRunner.RunAsync(io, async () =>
        {
            await using var sp = CommandRunner.Services(CliOptions.ResolveDatabase(parse));
            await CommandRunner.EnsureSchemaAsync(sp, ct);
            var page = await sp.GetRequiredService<ClaimsHandler>().ListAsync(new ClaimSearch(parse.GetValue(status), parse.GetValue(programme), parse.GetValue(region), PageSize: 200),
                UserCommands.Operator(), ct);
            if (parse.GetValue(listJson))
            {
                await CommandRunner.WriteJsonAsync(io, page);
                return ExitCodes.Ok;
            }

            await io.Out.WriteLineAsync($"{page.Total} claims");
            foreach (var k in page.Items)
            {
                await io.Out.WriteLineAsync($"  {k.Id} {k.Number} {k.Programme} {k.Kind} {k.EventDate} {k.RegionCode} {k.Status} {new Rupiah(k.Total)} paid {new Rupiah(k.Paid)}");
            }

            return ExitCodes.Ok;
        }));
        claims.Subcommands.Add(list);

        var from = new Option<string?>("--from") { Description = "First month YYYY-MM (default January this year)" };
        var to = new Option<string?>("--to") { Description = "Last month YYYY-MM (default this month)" };
        var statsJson = CliOptions.Json();
        var stats = new Command("stats", "Claims paid per programme in a region and months") { region, from, to, statsJson };
        stats.SetAction((parse, ct) => CommandRunner.RunAsync(io, async () =>
        {
            await using var sp = CommandRunner.Services(CliOptions.ResolveDatabase(parse));
            await CommandRunner.EnsureSchemaAsync(sp, ct);
            var s = await sp.GetRequiredService<ClaimStatistics>().StatsAsync(parse.GetValue(region), parse.GetValue(from), parse.GetValue(to), UserCommands.Operator(), ct);
            if (parse.GetValue(statsJson))
            {
                await CommandRunner.WriteJsonAsync(io, s);
                return ExitCodes.Ok;
            }

            await io.Out.WriteLineAsync($"{s.Region ?? "Indonesia"} {s.From}–{s.To}: {s.Cases:N0} cases, {new Rupiah(s.Amount ?? 0)}");
            foreach (var p in s.Programmes)
            {
                await io.Out.WriteLineAsync($"  {p.Programme}: {p.Cases:N0} cases, {new Rupiah(p.Amount ?? 0)}");
            }

            if (s.HistoryCases > 0 || s.HistoryAmount > 0)
            {
                await io.Out.WriteLineAsync($"  of which published aggregates: {s.HistoryCases:N0} cases, {new Rupiah(s.HistoryAmount ?? 0)} ({string.Join("; ", s.Sources)})");
            }

            return ExitCodes.Ok;
        }));
        claims.Subcommands.Add(stats);

        var history = new Command("history", "Published aggregates of claims paid outside Kawal");
        history.Subcommands.Add(ImportCommands.FileImport(io, "import", "Import claim aggregates (region_code, period, programme, cases, amount, source)",
            "CSV or XLSX", (sp, request, ct) => sp.GetRequiredService<ClaimStatistics>().ImportHistoryAsync(request, ct)));
        claims.Subcommands.Add(history);
        return claims;
    }

    public static Command Pensions(CliIO io)
    {
        var pensions = new Command("pensions", "Recurring benefit payments");
        var period = new Option<string>("--period") { Description = "Pay what is due up to this month YYYY-MM", Required = true };
        var json = CliOptions.Json();
        var wait = CliOptions.Wait();
        var run = new Command("run", "Pay JP pensions (indexed yearly), JKP instalments and due scholarships; safe to run again; one run at a time") { period, json, As, wait };
        run.SetAction((parse, ct) => CommandRunner.RunAsync(io, async () =>
        {
            var p = Period.TryParse(parse.GetValue(period), out var x) ? x : throw new UsageException($"--period must be a month YYYY-MM, not '{parse.GetValue(period)}'", "period");
            await using var sp = CommandRunner.Services(CliOptions.ResolveDatabase(parse));
            await CommandRunner.EnsureSchemaAsync(sp, ct);
            var runner = sp.GetRequiredService<PensionRunner>();
            (runner.Wait, runner.Waiting) = (parse.GetValue(wait), CliOptions.Waiting(io));
            var s = await runner.RunAsync(p, Operator(parse), ct);
            if (parse.GetValue(json))
            {
                await CommandRunner.WriteJsonAsync(io, s);
                return ExitCodes.Ok;
            }

            await io.Out.WriteLineAsync($"pensions run {s.Period}: {s.Created} payments {new Rupiah(s.Amount)} (JP pensions {s.Pensions}, JKP {s.JkpInstalments}, scholarships {s.Scholarships}); {s.AlreadyPaid} already paid");
            foreach (var problem in s.Problems)
            {
                await io.Out.WriteLineAsync($"  not paid: {problem}");
            }

            return s.Problems.Count > 0 ? ExitCodes.Failure : ExitCodes.Ok;
        }));
        pensions.Subcommands.Add(run);
        return pensions;
    }

    public static Command Jht(CliIO io)
    {
        var jht = new Command("jht", "JHT accounts: contributions credited, yearly returns, statements");
        var post = new Command("post", "Credit the JHT part of every fully paid bill line not yet credited") { As };
        post.SetAction((parse, ct) => CommandRunner.RunAsync(io, async () =>
        {
            await using var sp = CommandRunner.Services(CliOptions.ResolveDatabase(parse));
            await CommandRunner.EnsureSchemaAsync(sp, ct);
            var n = await sp.GetRequiredService<JhtLedger>().PostAllAsync(Operator(parse), ct);
            await io.Out.WriteLineAsync($"{n:N0} contribution entries credited");
            return ExitCodes.Ok;
        }));
        jht.Subcommands.Add(post);

        var year = new Option<int>("--year") { Description = "The year", Required = true };
        var rate = new Option<decimal>("--rate") { Description = "Declared development rate, percent (e.g. 5.63)", Required = true };
        var source = new Option<string>("--source") { Description = "Where BPJS declared it (publication, date)", Required = true };
        var setRate = new Command("rate", "Record a year's declared JHT development rate") { year, rate, source, As };
        setRate.SetAction((parse, ct) => CommandRunner.RunAsync(io, async () =>
        {
            await using var sp = CommandRunner.Services(CliOptions.ResolveDatabase(parse));
            await CommandRunner.EnsureSchemaAsync(sp, ct);
            var r = await sp.GetRequiredService<JhtLedger>().SetRateAsync(parse.GetValue(year), parse.GetValue(rate), parse.GetValue(source), Operator(parse), ct);
            await io.Out.WriteLineAsync($"JHT development rate {r.Year}: {r.RatePercent.ToString(CultureInfo.InvariantCulture)}% ({r.Source})");
            return ExitCodes.Ok;
        }));
        jht.Subcommands.Add(setRate);

        var returns = new Command("returns", "Credit a finished year's development return to every account (once)") { year, As };
        returns.SetAction((parse, ct) => CommandRunner.RunAsync(io, async () =>
        {
            await using var sp = CommandRunner.Services(CliOptions.ResolveDatabase(parse));
            await CommandRunner.EnsureSchemaAsync(sp, ct);
            var r = await sp.GetRequiredService<JhtLedger>().CreditReturnsAsync(parse.GetValue(year), Operator(parse), ct);
            await io.Out.WriteLineAsync($"JHT returns {r.Year} at {r.RatePercent.ToString(CultureInfo.InvariantCulture)}%: {r.Accounts:N0} accounts, {new Rupiah(r.Amount)}");
            return ExitCodes.Ok;
        }));
        jht.Subcommands.Add(returns);

        var nik = new Argument<string>("nik") { Description = "Participant's NIK or KPJ" };
        var statementYear = new Option<int?>("--year") { Description = "The year (default last year)" };
        var json = CliOptions.Json();
        var statement = new Command("statement", "A participant's yearly JHT statement") { nik, statementYear, json };
        statement.SetAction((parse, ct) => CommandRunner.RunAsync(io, async () =>
        {
            await using var sp = CommandRunner.Services(CliOptions.ResolveDatabase(parse));
            await CommandRunner.EnsureSchemaAsync(sp, ct);
            var y = parse.GetValue(statementYear) ?? (sp.GetRequiredService<TimeProvider>().Today().Year - 1);
            var s = await sp.GetRequiredService<JhtLedger>().StatementAsync(parse.GetValue(nik)!, y, UserCommands.Operator(), ct)
                ?? throw new UsageException($"no participant {Nik.Mask(parse.GetValue(nik)!)}", "nik");
            if (parse.GetValue(json))
            {
                await CommandRunner.WriteJsonAsync(io, s);
                return ExitCodes.Ok;
            }

            await io.Out.WriteLineAsync($"JHT {s.Year} {s.Name} ({s.Nik}): opening {new Rupiah(s.Opening)}, contributions {new Rupiah(s.Contributions)}, returns {new Rupiah(s.Returns)}, payouts {new Rupiah(s.Payouts)}, closing {new Rupiah(s.Closing)}");
            foreach (var e in s.Entries)
            {
                await io.Out.WriteLineAsync($"  {e.Date} {e.Kind} {new Rupiah(e.Amount)}{(e.Reference is null ? "" : " " + e.Reference)}");
            }

            return ExitCodes.Ok;
        }));
        jht.Subcommands.Add(statement);
        return jht;
    }
}
