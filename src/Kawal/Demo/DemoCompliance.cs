using Dapper;
using Kawal.Compliance.Features;
using Kawal.Data;
using Kawal.Identity;

namespace Kawal.Demo;

/// <summary>
/// The demo's enforcement: detection over the demo's registry and ledger (arrears, PDS), a few arrears cases taken
/// through both warning letters to an SKK at the Kejari of their regency, a prosecutor's summons and a first recovery
/// (a payment in the ledger); with <c>--scenario seeds</c>, South Kalimantan's published 2021 figures (13 SKK,
/// Rp108,137,709 recovered, 5 %).
/// </summary>
internal static class DemoCompliance
{
    public static Caller Branch { get; } = new("demo:kepatuhan-cabang", Role.BpjsOfficer, RegionScope.National, Permissions.Of(Role.BpjsOfficer));

    public const long KalselSkk = 13;
    public const long KalselRecovered = 108_137_709;

    /// <summary>The amount handed over is not in the report: derived from "Rp108,137,709 or 5 %" (108,137,709 ÷ 5 %).</summary>
    public const long KalselHandedOver = 2_162_754_180;

    public const string KalselSource = "Seed report 002 (ANTARA Kalsel, 2021): 13 SKK piutang iuran dan PWBD, pemulihan Rp108.137.709 (5 %); nilai SKK diturunkan dari 5 %";

    public static async Task<(int Cases, int Skk)> SeedAsync(Database db, ComplianceDetector detector, Cases cases, DateOnly today, bool seeds, CancellationToken ct)
    {
        var start = today.AddDays(-70);
        await detector.RunAsync(start, Branch, ct);
        // Kab. Malang first: the demo prosecutor account (demo.jaksa, 35.07) then has an SKK to work on.
        var arrears = (await cases.ListAsync(new CaseSearch("detected", "arrears", PageSize: 200), Branch, ct)).Items.OrderBy(c => c.RegionCode == "35.07" ? 0 : 1).ThenBy(c => c.Id).Take(3).ToList();
        var skk = 0;
        foreach (var k in arrears)
        {
            await cases.WarnAsync(k.Id, 1, new WarningInput(start.ToIso()), Branch, ct);
            await cases.WarnAsync(k.Id, 2, new WarningInput(start.AddDays(21).ToIso()), Branch, ct);
            var c = await cases.HandOverAsync(k.Id, new SkkInput($"SKK-DEMO-{k.Number}", start.AddDays(42).ToIso(), null), Branch, ct);
            var jaksa = new Caller($"demo:jaksa-{c.RegionCode}", Role.Prosecutor, RegionScope.Of(RegionCode.Parse(c.RegionCode)), Permissions.Of(Role.Prosecutor));
            await cases.ActAsync(k.Id, new ActionInput("summons", start.AddDays(49).ToIso(), "Panggilan klarifikasi (data demo)"), jaksa, ct);
            if ((c.SkkAmount ?? 0) > 2)
            {
                await cases.RecoverAsync(k.Id, new RecoveryInput($"DEMO-KEJARI-{k.Number}", c.SkkAmount / 2, start.AddDays(60).ToIso()), jaksa, ct);
            }

            skk++;
        }

        await detector.RunAsync(today, Branch, ct);
        if (seeds)
        {
            await using var c = await db.OpenAsync(ct);
            await using var tx = await c.BeginTransactionAsync(ct);
            await RecoveryStatistics.UpsertHistoryAsync(c, tx, "63", new Period(2021, 12), KalselSkk, KalselHandedOver, KalselRecovered, KalselSource, true, TimeProvider.System.GetUtcNow(), ct);
            await tx.CommitAsync(ct);
        }

        await using var conn = await db.OpenAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition("UPDATE compliance_cases SET is_demo = @yes", new { yes = true }, cancellationToken: ct));
        return ((int)await conn.ExecuteScalarAsync<long>(new CommandDefinition("SELECT count(*) FROM compliance_cases", cancellationToken: ct)), skk);
    }
}
