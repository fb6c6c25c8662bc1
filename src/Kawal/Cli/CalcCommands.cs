using System.CommandLine;
using Kawal.Rules;
using Kawal.Rules.Benefits;
using Kawal.Rules.Contributions;

namespace Kawal.Cli;

/// <summary><c>kawal calc contribution</c> and <c>kawal calc benefit KIND</c>: the rules engine from the shell.</summary>
internal static class CalcCommands
{
    public static Command Build(CliIO io)
    {
        var calc = new Command("calc", "Compute contributions and benefits from the rules, with the explanation");
        calc.Subcommands.Add(Contribution(io));
        calc.Subcommands.Add(Benefit(io));
        return calc;
    }

    private static Option<string?> Text(string name, string description) => new(name) { Description = description };

    private static Command Contribution(CliIO io)
    {
        var segment = Text("--segment", "PU, BPU, JAKON or PMI");
        var period = Text("--period", "Contribution month YYYY-MM");
        var wage = Text("--wage", "Monthly wage (PU; Jakon when wages are known), e.g. 12000000 or 12.000.000");
        var risk = new Option<int?>("--risk-class") { Description = "JKK risk group 1-5 (PU)" };
        var income = Text("--declared-income", "Declared monthly income (BPU)");
        var contract = Text("--contract-value", "Contract value excl. VAT (Jakon)");
        var package = Text("--package", "PMI package: pre-departure, during or full");
        var months = new Option<int?>("--contract-months") { Description = "PMI contract length in months" };
        var programmes = Text("--programmes", "e.g. JKK,JKM,JHT (default: the segment's)");
        var labour = new Option<bool>("--labour-intensive") { Description = "Listed labour-intensive industry with enough workers (PP 7/2025)" };
        var deferral = new Option<bool>("--jp-deferral") { Description = "JP deferral chosen under PP 49/2020" };
        var jht = Text("--jht-amount", "PMI optional JHT per month");
        var json = CliOptions.Json();
        var command = new Command("contribution", "One month's contribution of one membership")
        {
            segment, period, wage, risk, income, contract, package, months, programmes, labour, deferral, jht, json,
        };
        command.SetAction((parse, _) => CommandRunner.RunAsync(io, async () =>
        {
            var result = Calc.Contribution(new ContributionRequest(
                parse.GetValue(segment), parse.GetValue(period),
                Money(parse.GetValue(wage), "wage"), parse.GetValue(risk), Money(parse.GetValue(income), "declared-income"),
                Money(parse.GetValue(contract), "contract-value"), parse.GetValue(package), parse.GetValue(months),
                parse.GetValue(programmes), parse.GetValue(labour), parse.GetValue(deferral), Money(parse.GetValue(jht), "jht-amount")));
            if (parse.GetValue(json))
            {
                await CommandRunner.WriteJsonAsync(io, result);
                return ExitCodes.Ok;
            }

            await WriteAsync(io, result);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Benefit(CliIO io)
    {
        var kind = new Argument<string>("kind") { Description = string.Join(", ", Calc.BenefitKinds) };
        kind.AcceptOnlyFromAmong(Calc.BenefitKinds);
        Option<string?>[] texts =
        [
            Text("--death-date", "jkm: date of death"), Text("--wage", "monthly wage"), Text("--event-date", "jkk-*, stmb: date of the accident (default today)"),
            Text("--start-date", "jp: first pension month"), Text("--average-wage", "jp: average indexed monthly wage"),
            Text("--termination-date", "jkp: date of termination"), Text("--balance", "jht-partial: JHT balance"),
            Text("--purpose", "jht-partial: housing or other"), Text("--amount", "fine: contribution paid late"),
            Text("--due", "fine: due date"), Text("--paid", "fine: payment date"), Text("--programme", "fine: JP for the JP fine rate"),
        ];
        Option<int?>[] counts =
        [
            new("--contribution-months") { Description = "jkm, jp: months of contributions" }, new("--children") { Description = "jkm, jkk-*: children (default 2)" },
            new("--months") { Description = "stmb: months unfit for work" }, new("--membership-years") { Description = "jht-partial: years of membership" },
            new("--year") { Description = "retirement-age: year the pension starts" },
        ];
        var percentage = new Option<decimal?>("--percentage") { Description = "jkk-disability: table % (omit or 100 for total disability)" };
        var functionLoss = new Option<decimal?>("--function-loss") { Description = "jkk-disability: % of function lost" };
        var previous = new Option<bool>("--previous-partial-claim") { Description = "jht-partial: a partial claim was already paid" };
        var json = CliOptions.Json();
        var command = new Command("benefit", "A benefit amount: " + string.Join(", ", Calc.BenefitKinds)) { kind, percentage, functionLoss, previous, json };
        foreach (var o in texts)
        {
            command.Options.Add(o);
        }

        foreach (var o in counts)
        {
            command.Options.Add(o);
        }

        command.SetAction((parse, _) => CommandRunner.RunAsync(io, async () =>
        {
            string? T(string name) => parse.GetValue(texts.Single(o => o.Name == name));
            int? N(string name) => parse.GetValue(counts.Single(o => o.Name == name));
            var request = new BenefitRequest(
                DeathDate: T("--death-date"), ContributionMonths: N("--contribution-months"), Children: N("--children"),
                Wage: Money(T("--wage"), "wage"), EventDate: T("--event-date"), Percentage: parse.GetValue(percentage),
                FunctionLoss: parse.GetValue(functionLoss), Months: N("--months"), StartDate: T("--start-date"),
                AverageWage: Money(T("--average-wage"), "average-wage"), TerminationDate: T("--termination-date"),
                Balance: Money(T("--balance"), "balance"), MembershipYears: N("--membership-years"), Purpose: T("--purpose"),
                PreviousPartialClaim: parse.GetValue(previous), Year: N("--year"), Amount: Money(T("--amount"), "amount"),
                Due: T("--due"), Paid: T("--paid"), Programme: T("--programme"));
            var result = Calc.Benefit(parse.GetValue(kind)!, request, TimeProvider.System.Today());
            if (parse.GetValue(json))
            {
                await CommandRunner.WriteJsonAsync<BenefitResult>(io, result);
                return ExitCodes.Ok;
            }

            await io.Out.WriteLineAsync($"{result.Kind}: {new Rupiah(result.Total)}");
            await WriteTraceAsync(io, result.Trace);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static long? Money(string? text, string option)
    {
        if (text is null)
        {
            return null;
        }

        return Rupiah.TryParse(text, out var r) ? r.Value : throw new UsageException($"--{option}: '{text}' is not an amount in whole rupiah (e.g. 5000000 or 5.000.000)", option);
    }

    private static async Task WriteAsync(CliIO io, ContributionResult r)
    {
        await io.Out.WriteLineAsync($"{r.Segment} {r.Period}{(r.DueDate is { } d ? $", due {d.ToIso()}" : "")}");
        await io.Out.WriteLineAsync($"  {"programme",-9} {"base",15} {"employer",13} {"worker",13} {"government",13} {"total",13}");
        foreach (var l in r.Lines)
        {
            await io.Out.WriteLineAsync($"  {l.Programme,-9} {new Rupiah(l.Base),15} {new Rupiah(l.Employer),13} {new Rupiah(l.Worker),13} {new Rupiah(l.Government),13} {new Rupiah(l.Total),13}");
        }

        await io.Out.WriteLineAsync($"  {"total",-9} {"",15} {new Rupiah(r.EmployerTotal),13} {new Rupiah(r.WorkerTotal),13} {new Rupiah(r.GovernmentTotal),13} {new Rupiah(r.Total),13}");
        await WriteTraceAsync(io, r.Trace);
    }

    private static async Task WriteTraceAsync(CliIO io, IReadOnlyList<TraceStep> trace)
    {
        await io.Out.WriteLineAsync("why:");
        foreach (var s in trace)
        {
            var amount = s.Amount is { } a ? $" = {new Rupiah(a)}" : s.Value is { } v ? $" = {v} {s.Unit}" : "";
            await io.Out.WriteLineAsync($"  {s.DescriptionEn}{amount}{(s.ParameterId is null ? "" : $"  [{s.ParameterId}; {s.Citation}]")}");
        }
    }
}
