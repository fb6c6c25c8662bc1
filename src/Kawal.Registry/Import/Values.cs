using System.Globalization;

namespace Kawal.Registry.Import;

/// <summary>Parsing of the values people type in spreadsheets.</summary>
public static class Values
{
    private static readonly string[] DateFormats = ["yyyy-MM-dd", "dd/MM/yyyy", "d/M/yyyy", "dd-MM-yyyy"];

    /// <summary>YYYY-MM-DD or DD/MM/YYYY; in XLSX, an Excel date serial number.</summary>
    public static bool TryDate(string text, bool numericCell, out DateOnly date)
    {
        date = default;
        if (numericCell && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var serial))
        {
            if (serial is < 1 or > 2958465 || serial != Math.Floor(serial))
            {
                return false;
            }

            date = DateOnly.FromDateTime(DateTime.FromOADate(serial));
            return true;
        }

        return DateOnly.TryParseExact(text, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
    }

    /// <summary>Whole rupiah as typed; an XLSX number must be whole.</summary>
    public static bool TryMoney(string text, bool numericCell, out long amount)
    {
        amount = 0;
        if (numericCell)
        {
            if (!decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) || d != decimal.Truncate(d) || d < 0 || d > long.MaxValue)
            {
                return false;
            }

            amount = (long)d;
            return true;
        }

        if (!Rupiah.TryParse(text, out var r) || r.Value < 0)
        {
            return false;
        }

        amount = r.Value;
        return true;
    }

    /// <summary>L/P, M/F, laki-laki/perempuan, male/female.</summary>
    public static Sex? TrySex(string text) => text.Trim().ToLowerInvariant() switch
    {
        "l" or "m" or "laki-laki" or "laki laki" or "pria" or "male" => Sex.Male,
        "p" or "f" or "perempuan" or "wanita" or "female" => Sex.Female,
        _ => null,
    };

    /// <summary>Characters of a rejected value quoted in an error report, a message or a page.</summary>
    public const int QuoteLength = 100;

    /// <summary>A value as quoted back to the reader: at most <paramref name="max"/> characters, a longer one cut with "…".</summary>
    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(value))]
    public static string? Quote(string? value, int max = QuoteLength) =>
        value is null || value.Length <= max ? value : string.Concat(value.AsSpan(0, char.IsHighSurrogate(value[max - 2]) ? max - 2 : max - 1), "…");

    /// <summary>Text that a spreadsheet would run as a formula is prefixed with a quote in exports (never in storage).</summary>
    public static string NeutraliseForExport(string? value) => Csv.Neutralise(value);
}
