using System.Text.Json;
using Kawal.Cli;
using Kawal.Data;
using Kawal.Testing;
using static Kawal.Tests.Contributions.LedgerFixture;

namespace Kawal.Tests.Contributions;

public class ContributionCliTests
{
    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var (o, e) = (new StringWriter(), new StringWriter());
        var code = await KawalCli.RunAsync(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    [EngineTheory]
    public async Task Billing_run_prints_the_documented_json_and_the_statement_and_payment_commands_work(Engine engine)
    {
        await using var t = await PopulatedAsync(engine, 150);
        var expected = await ExpectedAsync(t, new Period(2025, 6));

        var (code, output, error) = await Run("billing", "run", "--period", "2025-06", "--json", "--database", t.ConnectionText);

        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(output);
        var r = json.RootElement;
        foreach (var name in new[] { "period", "memberships", "bills", "lines", "created", "unchanged", "employerTotal", "workerTotal", "governmentTotal", "total" })
        {
            Assert.True(r.TryGetProperty(name, out _), $"--json lacks {name}");
        }

        Assert.Equal("2025-06", r.GetProperty("period").GetString());
        Assert.Equal(expected.Memberships, r.GetProperty("memberships").GetInt32());
        Assert.Equal(expected.Employer + expected.Worker, r.GetProperty("total").GetInt64());
        Assert.Equal(expected.Government, r.GetProperty("governmentTotal").GetInt64());

        var again = JsonDocument.Parse((await Run("billing", "run", "--period", "2025-06", "--json", "--database", t.ConnectionText)).Out).RootElement;
        Assert.Equal((0, expected.Memberships), (again.GetProperty("created").GetInt32(), again.GetProperty("unchanged").GetInt32()));

        var pay = await Run("payments", "record", "--reference", "CLI-1", "--payer", "63710001", "--amount", "100000", "--date", "2025-07-01", "--database", t.ConnectionText);
        Assert.True(pay.Code == 0, pay.Err);
        Assert.Contains("recorded", pay.Out, StringComparison.Ordinal);
        var statement = await Run("payers", "statement", "employer:63710001", "--as-of", "2025-08-01", "--database", t.ConnectionText);
        Assert.Contains("paid Rp100.000", statement.Out, StringComparison.Ordinal);

        var bad = await Run("payments", "record", "--reference", "CLI-2", "--payer", "63710001", "--amount", "0", "--date", "2025-07-01", "--database", t.ConnectionText);
        Assert.Equal((2, true), (bad.Code, bad.Err.Contains("amount", StringComparison.Ordinal)));
        var future = await Run("billing", "run", "--period", "2999-01", "--database", t.ConnectionText);
        Assert.Equal(2, future.Code);
    }
}
