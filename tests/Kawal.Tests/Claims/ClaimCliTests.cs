using System.Text.Json;
using Kawal.Cli;
using Kawal.Data;
using Kawal.Testing;
using static Kawal.Tests.Claims.ClaimFixture;

namespace Kawal.Tests.Claims;

/// <summary>The claims verbs of the <c>kawal</c> executable: the same handlers, the operator as <c>cli:NAME</c>.</summary>
public class ClaimCliTests
{
    private static readonly string[] JkpDocuments = ["kartu_peserta", "ktp", "kk", "buku_rekening", "surat_phk"];

    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var (o, e) = (new StringWriter(), new StringWriter());
        var code = await KawalCli.RunAsync(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    [EngineTheory]
    public async Task Claims_jht_and_pension_verbs_work_end_to_end(Engine engine)
    {
        // The ledger is built on 2026-01-20; the CLI runs today, so the claim's dates lie in the past.
        await using var t = await LedgerAsync(engine);
        var file = Path.Combine(Path.GetTempPath(), $"kawal-claim-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, JsonSerializer.Serialize(new
        {
            nik = G, programme = "JKP", kind = "job_loss", eventDate = "2026-01-05", reason = "termination", bankAccount = "222", claimDate = "2026-01-20",
            documents = JkpDocuments,
        }));
        var (code, output, error) = await Run("claims", "submit", "--file", file, "--json", "--as", "budi", "--database", t.ConnectionText);
        File.Delete(file);
        Assert.True(code == 0, error + output);
        using var json = JsonDocument.Parse(output);
        var id = json.RootElement.GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal("submitted", json.RootElement.GetProperty("status").GetString());
        Assert.Equal(16_200_000, json.RootElement.GetProperty("benefit").GetProperty("total").GetInt64());

        Assert.Equal(0, (await Run("claims", "verify", id, "--as", "sari", "--database", t.ConnectionText)).Code);
        var self = await Run("claims", "approve", id, "--as", "budi", "--database", t.ConnectionText);
        Assert.NotEqual(0, self.Code);
        Assert.Contains("four eyes", self.Err, StringComparison.Ordinal);
        var approved = await Run("claims", "approve", id, "--as", "ani", "--database", t.ConnectionText);
        Assert.True(approved.Code == 0, approved.Err);
        Assert.Contains(": approved", approved.Out, StringComparison.Ordinal);

        var run = await Run("pensions", "run", "--period", "2026-04", "--as", "ani", "--database", t.ConnectionText);
        Assert.True(run.Code == 0, run.Err);
        Assert.Contains("JKP 3", run.Out, StringComparison.Ordinal);
        var rerun = await Run("pensions", "run", "--period", "2026-04", "--database", t.ConnectionText);
        Assert.Contains("3 already paid", rerun.Out, StringComparison.Ordinal);

        var show = await Run("claims", "show", id, "--database", t.ConnectionText);
        Assert.Contains("paid jkp 3 2026-04", show.Out, StringComparison.Ordinal);
        Assert.Contains("[PP 37/2021", show.Out, StringComparison.Ordinal);

        var bad = await Run("claims", "submit", "--nik", G, "--programme", "JKP", "--kind", "job_loss", "--event-date", "5 Jan 2026", "--database", t.ConnectionText);
        Assert.Equal(ExitCodes.Usage, bad.Code);
        Assert.Contains("eventDate", bad.Err, StringComparison.Ordinal);

        Assert.Equal(0, (await Run("jht", "rate", "--year", "2024", "--rate", "6.08", "--source", "Kawal test", "--database", t.ConnectionText)).Code);
        var returns = await Run("jht", "returns", "--year", "2024", "--database", t.ConnectionText);
        Assert.True(returns.Code == 0, returns.Err);
        Assert.Contains("at 6.08%", returns.Out, StringComparison.Ordinal);
        var statement = await Run("jht", "statement", A, "--year", "2024", "--database", t.ConnectionText);
        Assert.Contains("contributions Rp4.104.000", statement.Out, StringComparison.Ordinal); // 12 × Rp342,000

        var stats = await Run("claims", "stats", "--region", "63.71", "--from", "2026-01", "--to", "2026-12", "--json", "--database", t.ConnectionText);
        using var s = JsonDocument.Parse(stats.Out);
        Assert.Equal(8_100_000, s.RootElement.GetProperty("amount").GetInt64()); // three JKP instalments of Rp2,700,000
    }
}
