using System.Globalization;
using Kawal.Identity;
using Kawal.Registry.Features;

namespace Kawal.Demo;

/// <summary>
/// The employer the demo employer account (demo.pemberikerja) belongs to — Pemerintah Kabupaten Malang (demo), NPP
/// 35070000001 — and, in a seeded demo, its workers: non-ASN and regular staff in Kab. Malang (35.07), registered
/// through the participants import like everyone else, so that the billing run bills them and the bank statements pay
/// their bills, except the latest ones (arrears, and a bill not yet due) (docs/demo.md).
/// </summary>
internal static class DemoEmployer
{
    public const string Name = "Pemerintah Kabupaten Malang (demo)";

    public const string Region = "35.07";

    public const int Workers = 24;

    /// <summary>The payer its bills are addressed to.</summary>
    public static string PayerKey => "employer:" + DemoUsers.EmployerNpp;

    private static readonly string[] Given = ["Sri", "Agus", "Dewi", "Slamet", "Wulan", "Eko", "Ratna", "Joko", "Yuni", "Bambang", "Lestari", "Arif"];
    private static readonly string[] Family = ["Wahyuni", "Santoso", "Rahayu", "Hidayat", "Purnomo", "Setiawan"];

    /// <summary>Registers the employer (or updates it to these values): the demo accounts need it whether or not a demo is seeded.</summary>
    public static async Task EnsureAsync(RegisterRecordsHandler registry, Caller caller, CancellationToken ct)
    {
        var result = await registry.RegisterEmployerAsync(new Dictionary<string, string?>
        {
            ["npp"] = DemoUsers.EmployerNpp,
            ["name"] = Name,
            ["kind"] = "regional_gov",
            ["region_code"] = Region,
            ["risk_class"] = "1",
            ["size"] = "large",
            ["status"] = "active",
        }, caller, ct: ct);
        if (!result.Ok)
        {
            throw new KawalException($"cannot create the demo employer: {result.Errors[0].MessageEn}");
        }
    }

    /// <summary>Its line in the employers import (when the demo accounts did not register it first).</summary>
    public static string EmployerLine() => string.Join(',', DemoUsers.EmployerNpp, Csv.Field(Name), "regional_gov", Region, "1", "large", Csv.Field("Kantor Bupati Malang"), "active");

    /// <summary>
    /// Its workers as participants-import lines: three in four non-ASN (JKK, JKM, JHT), the rest regular staff (the
    /// default programmes); registered from January 2024 on, none after <paramref name="last"/>. NIKs of district 90,
    /// which the generated population never uses.
    /// </summary>
    public static IEnumerable<string> WorkerLines(DateOnly last)
    {
        for (var j = 0; j < Workers; j++)
        {
            var female = j % 2 == 0;
            var birth = new DateOnly(1972 + (j * 7 % 28), 1 + (j * 5 % 12), 1 + (j * 11 % 28));
            var name = $"{Given[j % Given.Length]} {Family[j * 5 % Family.Length]}";
            var nik = string.Create(CultureInfo.InvariantCulture, $"350790{birth.Day + (female ? 40 : 0):D2}{birth.Month:D2}{birth.Year % 100:D2}{j + 1:D4}");
            var start = new DateOnly(2024, 1 + (j % 12), 2);
            if (start > last)
            {
                start = last;
            }

            var (category, programmes, wage) = j % 4 == 3 ? ("regular", "", 4_200_000 + (j * 50_000)) : ("non_asn", "JKK,JKM,JHT", 2_600_000 + (j * 25_000));
            yield return string.Join(',', nik, Csv.Field(name), "PU", DemoUsers.EmployerNpp, category, "", "", wage.ToString(CultureInfo.InvariantCulture), Csv.Field(programmes),
                start.ToIso(), "");
        }
    }

    /// <summary>When the demo employer pays a bill: two days before it is due, except bills due in the last 45 days (unpaid: arrears, or not yet due).</summary>
    public static DateOnly? PaidOn(DateOnly due, DateOnly today) => due < today.AddDays(-45) ? due.AddDays(-2) : null;
}
