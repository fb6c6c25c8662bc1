using System.CommandLine;
using System.Globalization;
using Kawal.Contributions.Features;
using Kawal.Registry.Import;
using Microsoft.Extensions.DependencyInjection;

namespace Kawal.Cli;

/// <summary>
/// <c>kawal billing run --period YYYY-MM [--region CODE]</c>, <c>kawal payments record|import</c> and
/// <c>kawal payers statement KEY</c>: the same handlers as the API, acting as the operator.
/// </summary>
internal static class ContributionCommands
{
    public static Command Billing(CliIO io)
    {
        var billing = new Command("billing", "Monthly billing of contributions");
        var period = new Option<string>("--period") { Description = "Contribution month YYYY-MM", Required = true };
        var region = new Option<string?>("--region") { Description = "Only memberships of this province or regency (code)" };
        var batch = new Option<int?>("--batch-size") { Description = $"Memberships per committed batch (default {BillingRunner.ChunkSize})" };
        var json = CliOptions.Json();
        var wait = CliOptions.Wait();
        var run = new Command("run", "Bill every membership active in the month, one bill per payer; safe to run again or after an interruption; one run of a month at a time") { period, region, batch, json, wait };
        run.SetAction((parse, ct) => CommandRunner.RunAsync(io, async () =>
        {
            if (!Period.TryParse(parse.GetValue(period), out var p))
            {
                throw new UsageException($"--period must be a month YYYY-MM, not '{parse.GetValue(period)}'", "period");
            }

            await using var sp = CommandRunner.Services(CliOptions.ResolveDatabase(parse));
            await CommandRunner.EnsureSchemaAsync(sp, ct);
            var runner = sp.GetRequiredService<BillingRunner>();
            if (parse.GetValue(batch) is { } size)
            {
                runner.BatchSize = size is >= 1 and <= 100_000 ? size : throw new UsageException("--batch-size must be 1 to 100000", "batch-size");
            }

            var terminal = !Console.IsErrorRedirected && ReferenceEquals(io.Err, Console.Error);
            var progress = terminal ? new Progress<(long Done, long Total)>(x => io.Err.Write($"\rbilling {x.Done:N0} / {x.Total:N0} memberships")) : null;
            runner.Waiting = CliOptions.Waiting(io);
            var summary = await runner.RunAsync(new BillingRequest(p, parse.GetValue(region), UserCommands.Operator(), parse.GetValue(wait)), progress, ct);
            if (terminal)
            {
                await io.Err.WriteLineAsync();
            }

            if (parse.GetValue(json))
            {
                await CommandRunner.WriteJsonAsync(io, summary);
                return ExitCodes.Ok;
            }

            await io.Out.WriteLineAsync($"billing {summary.Period}{(summary.Region is null ? "" : $" region {summary.Region}")} (run {summary.RunId}{(summary.Resumed ? ", resumed" : "")}):");
            await io.Out.WriteLineAsync($"  {summary.Memberships:N0} memberships, {summary.Bills:N0} bills, {summary.Lines:N0} lines; this run: {summary.Created:N0} created, {summary.Supplementary:N0} supplementary, {summary.Unchanged:N0} unchanged, {summary.Skipped:N0} not billed monthly");
            await io.Out.WriteLineAsync($"  employer {new Rupiah(summary.EmployerTotal)}, worker {new Rupiah(summary.WorkerTotal)}, total {new Rupiah(summary.Total)}; government (JKP) {new Rupiah(summary.GovernmentTotal)}");
            foreach (var problem in summary.Problems)
            {
                await io.Out.WriteLineAsync($"  not billed: {problem}");
            }

            return ExitCodes.Ok;
        }));
        billing.Subcommands.Add(run);
        return billing;
    }

    public static Command Payments(CliIO io)
    {
        var payments = new Command("payments", "Record or import payments of contributions");
        var reference = new Option<string>("--reference") { Description = "The bank's unique reference", Required = true };
        var payer = new Option<string?>("--payer") { Description = "Payer key (employer:NPP, self:KPJ, apbd:CODE, …) or an employer's NPP" };
        var bill = new Option<string?>("--bill") { Description = "Bill number (IUR-…)" };
        var amount = new Option<long>("--amount") { Description = "Whole rupiah", Required = true };
        var date = new Option<string>("--date") { Description = "Payment date YYYY-MM-DD", Required = true };
        var channel = new Option<string?>("--channel") { Description = "bank, virtual account, teller… (default bank)" };
        var json = CliOptions.Json();
        var record = new Command("record", "Record one payment and allocate it") { reference, payer, bill, amount, date, channel, json };
        record.SetAction((parse, ct) => CommandRunner.RunAsync(io, async () =>
        {
            await using var sp = CommandRunner.Services(CliOptions.ResolveDatabase(parse));
            await CommandRunner.EnsureSchemaAsync(sp, ct);
            PaymentResult r;
            try
            {
                r = await sp.GetRequiredService<PaymentsHandler>().RecordAsync(new PaymentInput(parse.GetValue(reference), parse.GetValue(payer), parse.GetValue(bill),
                    parse.GetValue(amount), parse.GetValue(date), parse.GetValue(channel)), UserCommands.Operator(), ct);
            }
            catch (NotFoundException e)
            {
                throw new UsageException(e.Message, "payer");
            }

            if (parse.GetValue(json))
            {
                await CommandRunner.WriteJsonAsync(io, r);
                return ExitCodes.Ok;
            }

            await io.Out.WriteLineAsync($"payment {r.Reference} {new Rupiah(r.Amount)} from {r.Payer} on {r.PaidOn}: {(r.Created ? "recorded" : "already recorded")}");
            foreach (var a in r.Allocations)
            {
                await io.Out.WriteLineAsync($"  {new Rupiah(a.Amount)} to bill {a.Bill} ({a.Period})");
            }

            await io.Out.WriteLineAsync($"  unallocated (credit): {new Rupiah(r.Unallocated)}");
            return ExitCodes.Ok;
        }));
        payments.Subcommands.Add(record);

        var import = ImportCommands.FileImport(io, "import", "Import payments from a bank statement; rejected rows are explained in an error report",
            "Bank statement, CSV or XLSX: reference, payer or bill, amount, date, channel", (sp, request, ct) => sp.GetRequiredService<PaymentsHandler>().ImportAsync(request, ct));
        payments.Subcommands.Add(import);
        return payments;
    }

    public static Command Payers(CliIO io)
    {
        var payers = new Command("payers", "Payers of contributions");
        var key = new Argument<string>("key") { Description = "Payer key, e.g. employer:35070000001 or apbd:35.07" };
        var asOf = new Option<string?>("--as-of") { Description = "Date of the statement (default today)" };
        var json = CliOptions.Json();
        var statement = new Command("statement", "A payer's bills, payments, balance, arrears and late fines") { key, asOf, json };
        statement.SetAction((parse, ct) => CommandRunner.RunAsync(io, async () =>
        {
            DateOnly? date = parse.GetValue(asOf) is { } text ? Dates.TryParseIso(text, out var d) ? d : throw new UsageException("--as-of must be YYYY-MM-DD", "as-of") : null;
            await using var sp = CommandRunner.Services(CliOptions.ResolveDatabase(parse));
            await CommandRunner.EnsureSchemaAsync(sp, ct);
            var s = await sp.GetRequiredService<ContributionQueries>().StatementAsync(parse.GetValue(key)!, UserCommands.Operator(), date, ct)
                ?? throw new KawalException($"no payer {parse.GetValue(key)}");
            if (parse.GetValue(json))
            {
                await CommandRunner.WriteJsonAsync(io, s);
                return ExitCodes.Ok;
            }

            await io.Out.WriteLineAsync($"{s.Payer.Name} ({s.Payer.Key}), region {s.Payer.RegionCode}, as of {s.AsOf}");
            await io.Out.WriteLineAsync($"  billed {new Rupiah(s.Billed)}, paid {new Rupiah(s.Paid)}, balance {new Rupiah(s.Balance)}, credit {new Rupiah(s.Credit)}, arrears {new Rupiah(s.Arrears)}, fines {new Rupiah(s.Fines)}");
            foreach (var b in s.Bills)
            {
                await io.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"  {b.Number} {b.Period} due {b.DueDate} {new Rupiah(b.Amount)} paid {new Rupiah(b.Paid)} {b.Status}{(b.Fine > 0 ? $" fine {new Rupiah(b.Fine)} ({b.FineRate}%/month × {b.MonthsLate}, {b.FineCitation})" : "")}"));
            }

            return ExitCodes.Ok;
        }));
        payers.Subcommands.Add(statement);
        return payers;
    }
}
