using System.Text;
using Dapper;
using Kawal.Claims.Features;
using Kawal.Contributions.Features;
using Kawal.Data;
using Kawal.Identity;
using Kawal.Testing;
using static Kawal.Tests.Registry.ImportFixture;

namespace Kawal.Tests.Claims;

/// <summary>
/// A small population imported through the registry, billed month by month through the billing run and paid through
/// the payments handler — the ledger every claim's eligibility is read from.
/// </summary>
internal static class ClaimFixture
{
    /// <summary>The day the ledger is built and claims are taken (after the last billed month, December 2025).</summary>
    public static FixedTime Clock() => new(new DateTimeOffset(2026, 1, 20, 10, 0, 0, TimeSpan.FromHours(7)));

    public static readonly Caller Taker = Caller.Operator("budi");
    public static readonly Caller Verifier = Caller.Operator("sari");
    public static readonly Caller Approver = Caller.Operator("ani");

    // NIKs: 6371 (Kota Banjarmasin) 01, birth day/month/year, sequence.
    public const string A = "6371010101800001"; // PU, all programmes, from 2023-01: 36 paid months by December 2025
    public const string B = "6371010202800002"; // PU, all programmes, from 2023-02: 35 paid months
    public const string C = "6371010303700003"; // PU, resigned: membership ends 2025-07-01
    public const string D = "6371010404750004"; // PU since 2014: ten years of membership for the partial JHT
    public const string E = "6371010505650005"; // PU, born 1965, retired 2025-06-01: JP with fewer than 180 months
    public const string F = "6371010606900006"; // PU from 2025-02: 11 months in the JKP window
    public const string G = "6371010707900007"; // PU from 2025-01: 12 months
    public const string H = "6371010808850008"; // BPU, pays herself — and stops paying in mid-2025

    public static readonly Period First = new(2023, 1);
    public static readonly Period Last = new(2025, 12);

    private static string Population()
    {
        var path = Path.Combine(Path.GetTempPath(), $"kawal-claims-{Guid.NewGuid():N}.csv");
        var sb = new StringBuilder("nik,name,segment,employer_npp,category,occupation,payer,wage,programmes,start_date,end_date\n");
        const string All = "\"JKK,JKM,JHT,JP,JKP\"";
        sb.Append(A).Append(",Ahmad Fauzi,PU,63710001,non_asn,,employer,6000000,").Append(All).Append(",2023-01-01,\n");
        sb.Append(B).Append(",Bambang Sutrisno,PU,63710001,non_asn,,employer,6000000,").Append(All).Append(",2023-02-01,\n");
        sb.Append(C).Append(",Citra Lestari,PU,63710001,regular,,employer,5000000,").Append(All).Append(",2023-01-01,2025-07-01\n");
        sb.Append(D).Append(",Dedi Kurniawan,PU,63710001,regular,,employer,4000000,").Append(All).Append(",2014-01-01,\n");
        sb.Append(E).Append(",Endang Wahyuni,PU,63710001,regular,,employer,8000000,").Append(All).Append(",2023-01-01,2025-06-01\n");
        sb.Append(F).Append(",Fajar Nugroho,PU,63710001,regular,,employer,4500000,").Append(All).Append(",2025-02-01,\n");
        sb.Append(G).Append(",Gita Puspita,PU,63710001,regular,,employer,4500000,").Append(All).Append(",2025-01-01,\n");
        sb.Append(H).Append(",Hana Sari,BPU,,vulnerable,trader,self,2000000,\"JKK,JKM,JHT\",2023-01-01,\n");
        System.IO.File.WriteAllText(path, sb.ToString());
        return path;
    }

    /// <summary>Imports the population, bills January 2023 to December 2025 and pays every bill on its due date — except Hana's from June 2025.</summary>
    public static async Task<TestDatabase> LedgerAsync(Engine engine, FixedTime? clock = null)
    {
        var t = await TestDatabase.MigratedAsync(engine);
        await Import(t, "employers", "employers.csv");
        var file = Population();
        var summary = await Import(t, "participants", file);
        System.IO.File.Delete(file);
        Assert.Equal(0, summary.Rejected);
        var time = clock ?? Clock();
        var billing = new BillingRunner(t.Database, time);
        var payments = new PaymentsHandler(t.Database, time);
        var hanaStops = new Period(2025, 6);
        for (var p = First; p <= Last; p = p.Next)
        {
            await billing.RunAsync(new BillingRequest(p, null, Caller.Operator("billing")), null, CancellationToken.None);
            var open = await Query<(string Number, long Amount, DateOnly Due, string Payer)>(t,
                "SELECT b.bill_number, b.amount - b.paid, b.due_date, y.payer_key FROM bills b JOIN payers y ON y.id = b.payer_id WHERE b.period = @p AND b.paid < b.amount",
                new { p = p.ToString() });
            foreach (var bill in open.Where(b => !(b.Payer.StartsWith("self:", StringComparison.Ordinal) && p >= hanaStops)))
            {
                await payments.RecordAsync(new PaymentInput($"TRF-{bill.Number}", null, bill.Number, bill.Amount, bill.Due.ToIso(), "bank"), Caller.Operator("teller"));
            }
        }

        return t;
    }

    public static ClaimsHandler Handler(TestDatabase t, FixedTime? clock = null) => new(t.Database, clock ?? Clock());

    public static HeirInput Spouse(string name = "Siti Aminah") => new(name, "spouse", "1982-04-12", BankAccount: "1234567890");

    public static HeirInput Child(string name, string birth) => new(name, "child", birth, BankAccount: "1234567891");

    public static readonly string[] DeathDocuments = ["kartu_peserta", "ktp", "kk", "buku_rekening", "akta_kematian", "surat_ahli_waris", "ktp_ahli_waris"];

    public static readonly string[] BasicDocuments = ["kartu_peserta", "ktp", "kk", "buku_rekening"];

    public static async Task<long> Scalar(TestDatabase t, string sql, object? args = null)
    {
        await using var c = await t.Database.OpenAsync();
        return await c.ExecuteScalarAsync<long>(sql, args);
    }
}
