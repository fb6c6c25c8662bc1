using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Kawal.Ui;

/// <summary>
/// A record's stored details (case evidence, case events, audit entries — JSON in the database) as people read them: a
/// list of labelled values, field names in the reader's language, dates as <c>7 Desember 2026</c>, amounts as
/// <c>Rp1.234.567</c>, citations as their legal basis (<see cref="Citations"/>). The one place such details are turned into
/// text for pages (<c>Components/Facts.razor</c>).
/// </summary>
public static partial class JsonFacts
{
    /// <summary>One labelled value; <see cref="Children"/> for a nested object or a list of objects.</summary>
    public sealed record Fact(string Label, string Value, IReadOnlyList<IReadOnlyList<Fact>> Children);

    private static readonly Dictionary<string, (string Id, string En)> Labels = new(StringComparer.OrdinalIgnoreCase)
    {
        ["amount"] = ("Jumlah", "Amount"), ["arrears"] = ("Tunggakan", "Arrears"), ["billed"] = ("Ditagih", "Billed"), ["paid"] = ("Dibayar", "Paid"),
        ["period"] = ("Periode", "Period"), ["periods"] = ("Periode", "Periods"), ["from"] = ("Dari", "From"), ["to"] = ("Sampai", "To"),
        ["region"] = ("Wilayah", "Region"), ["regionCode"] = ("Wilayah", "Region"), ["citation"] = ("Dasar hukum", "Legal basis"), ["rule"] = ("Dasar hukum", "Legal basis"),
        ["respondBy"] = ("Batas tanggapan", "Respond by"), ["letter"] = ("Surat", "Letter"), ["number"] = ("Nomor", "Number"), ["reason"] = ("Alasan", "Reason"),
        ["nib"] = ("NIB", "NIB"), ["npp"] = ("NPP", "NPP"), ["name"] = ("Nama", "Name"), ["sector"] = ("Sektor", "Sector"), ["source"] = ("Sumber", "Source"),
        ["workers"] = ("Pekerja", "Workers"), ["reportedWorkers"] = ("Pekerja dilaporkan", "Workers reported"), ["registeredWorkers"] = ("Pekerja terdaftar", "Workers registered"),
        ["registered"] = ("Terdaftar", "Registered"), ["missing"] = ("Belum terdaftar", "Not registered"), ["wage"] = ("Upah", "Wage"), ["reportedWage"] = ("Upah dilaporkan", "Wage reported"),
        ["minimumWage"] = ("Upah minimum", "Minimum wage"), ["minimum"] = ("Upah minimum", "Minimum wage"), ["programmes"] = ("Program", "Programmes"),
        ["missingProgrammes"] = ("Program yang belum diikuti", "Programmes missing"), ["months"] = ("Bulan", "Months"), ["monthsOverdue"] = ("Bulan menunggak", "Months overdue"),
        ["oldest"] = ("Tagihan tertua", "Oldest bill"), ["bills"] = ("Tagihan", "Bills"), ["date"] = ("Tanggal", "Date"), ["status"] = ("Status", "Status"),
        ["office"] = ("Kejaksaan", "Prosecutors' office"), ["recovered"] = ("Dipulihkan", "Recovered"), ["note"] = ("Catatan", "Note"), ["kind"] = ("Jenis", "Kind"),
        ["created"] = ("Dibuat", "Created"), ["updated"] = ("Diubah", "Updated"), ["unchanged"] = ("Tetap", "Unchanged"), ["rejected"] = ("Ditolak", "Rejected"),
        ["lines"] = ("Baris tagihan", "Bill lines"), ["skipped"] = ("Dilewati", "Skipped"), ["supplementary"] = ("Susulan", "Supplementary"),
        ["firstRow"] = ("Baris pertama", "First row"), ["lastRow"] = ("Baris terakhir", "Last row"), ["fromMembership"] = ("Dari kepesertaan", "From membership"),
        ["toMembership"] = ("Sampai kepesertaan", "To membership"), ["username"] = ("Nama pengguna", "Username"), ["role"] = ("Peran", "Role"), ["actor"] = ("Oleh", "By"),
        ["employer"] = ("Pemberi kerja", "Employer"), ["participant"] = ("Peserta", "Participant"), ["segment"] = ("Segmen", "Segment"), ["category"] = ("Kategori", "Category"),
        ["outstanding"] = ("Terutang", "Outstanding"), ["oldestDue"] = ("Jatuh tempo tertua", "Oldest due"), ["buckets"] = ("Umur tunggakan (bulan)", "Arrears by age (months)"),
        ["over12"] = ("Lebih dari 12", "Over 12"), ["thresholdMonths"] = ("Ambang (bulan)", "Threshold (months)"), ["officeName"] = ("Nama kejaksaan", "Office name"),
        ["startDate"] = ("Mulai", "Start"), ["endDate"] = ("Selesai", "End"), ["basis"] = ("Dasar", "Basis"), ["year"] = ("Tahun", "Year"), ["fiscalYear"] = ("Tahun anggaran", "Fiscal year"),
    };

    /// <summary>The facts of a JSON text; an empty list for nothing, and the text itself as one fact when it is not JSON.</summary>
    public static IReadOnlyList<Fact> Of(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return [];
        }

        try
        {
            using var doc = JsonDocument.Parse(json);
            return Of(doc.RootElement);
        }
        catch (JsonException)
        {
            return [new Fact("", json, [])];
        }
    }

    public static IReadOnlyList<Fact> Of(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => e.EnumerateObject().Where(p => p.Value.ValueKind != JsonValueKind.Null).Select(p => FactOf(p.Name, p.Value)).ToList(),
        JsonValueKind.Null or JsonValueKind.Undefined => [],
        _ => [FactOf("", e)],
    };

    /// <summary>A field name in the reader's language: from the list above, else its words (<c>lastPaidOn</c> → <c>last paid on</c>).</summary>
    public static string Label(string key)
    {
        if (Labels.TryGetValue(key, out var l))
        {
            return L.T(l.Id, l.En);
        }

        var words = Words().Replace(key, " $1").Replace('_', ' ').Trim();
        return words.Length == 0 ? "" : char.ToUpperInvariant(words[0]) + words[1..].ToLowerInvariant();
    }

    private static Fact FactOf(string key, JsonElement v)
    {
        var label = Label(key);
        switch (v.ValueKind)
        {
            case JsonValueKind.Object when Money(key):
                return new Fact(label, "", [v.EnumerateObject().Where(p => p.Value.ValueKind != JsonValueKind.Null).Select(p => p.Value.ValueKind == JsonValueKind.Number && p.Value.TryGetInt64(out var r)
                    ? new Fact(Label(p.Name), Fmt.Money(r), []) : FactOf(p.Name, p.Value)).ToList()]);
            case JsonValueKind.Object:
                return new Fact(label, "", [Of(v)]);
            case JsonValueKind.Array when v.EnumerateArray().All(x => x.ValueKind == JsonValueKind.Object):
                return new Fact(label, "", v.EnumerateArray().Select(Of).ToList());
            case JsonValueKind.Array:
                return new Fact(label, string.Join(", ", v.EnumerateArray().Select(x => Value(key, x))), []);
            default:
                return new Fact(label, Value(key, v), []);
        }
    }

    private static string Value(string key, JsonElement v)
    {
        switch (v.ValueKind)
        {
            case JsonValueKind.True:
                return L.T("ya", "yes");
            case JsonValueKind.False:
                return L.T("tidak", "no");
            case JsonValueKind.Number when Money(key) && v.TryGetInt64(out var rupiah):
                return Fmt.Money(rupiah);
            case JsonValueKind.Number:
                return v.TryGetInt64(out var n) ? Fmt.Number(n) : v.GetDecimal().ToString("0.##", L.IsEnglish ? CultureInfo.InvariantCulture : CultureInfo.GetCultureInfo("id-ID"));
            case JsonValueKind.String:
                var s = v.GetString() ?? "";
                if (key.Equals("citation", StringComparison.OrdinalIgnoreCase) || key.Equals("rule", StringComparison.OrdinalIgnoreCase) || key.Equals("basis", StringComparison.OrdinalIgnoreCase))
                {
                    return Citations.Show(s) is { Length: > 0 } shown ? shown : s;
                }

                return Period.TryParse(s, out var p) && s.Length == 7 ? Fmt.Month(p) : Fmt.Date(s);
            default:
                return v.ToString();
        }
    }

    private static bool Money(string key) =>
        key.Contains("amount", StringComparison.OrdinalIgnoreCase) || key.Contains("wage", StringComparison.OrdinalIgnoreCase) || key.Contains("arrears", StringComparison.OrdinalIgnoreCase)
        || key.Contains("minimum", StringComparison.OrdinalIgnoreCase) || key is "billed" or "paid" or "recovered" or "outstanding" or "balance" or "fine" or "buckets";

    [GeneratedRegex("(?<=[a-z])([A-Z])")]
    private static partial Regex Words();
}
