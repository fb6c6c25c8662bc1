using System.Globalization;

namespace Kawal;

public enum Sex
{
    Male,
    Female,
}

/// <summary>
/// A Nomor Induk Kependudukan: 16 digits <c>PP RR DD ddmmyy ssss</c> (handbook §7). The structure, the birth
/// date (day + 40 for women) and the serial are checked here; whether the district code exists is checked
/// against the regions reference by the registry.
/// </summary>
public sealed record Nik
{
    private Nik(string value, DateOnly birthDate, Sex sex)
    {
        Value = value;
        BirthDate = birthDate;
        Sex = sex;
    }

    public string Value { get; }
    public DateOnly BirthDate { get; }
    public Sex Sex { get; }

    /// <summary>Province code, e.g. <c>63</c>.</summary>
    public string ProvinceCode => Value[..2];

    /// <summary>Regency/city code, e.g. <c>63.71</c>.</summary>
    public string RegencyCode => $"{Value[..2]}.{Value[2..4]}";

    /// <summary>District code of registration, e.g. <c>63.71.02</c>.</summary>
    public string DistrictCode => $"{Value[..2]}.{Value[2..4]}.{Value[4..6]}";

    /// <summary>The regency code's 4 digits, the rest masked: <c>6371************</c>.</summary>
    public string Masked => Mask(Value);

    /// <summary>
    /// Masks a stored NIK text: only its first 4 digits (the regency, shown anyway as the domicile) stay. The district,
    /// the birth date (+40 for women) and the serial are hidden, so a masked NIK beside a birth year cannot be rebuilt
    /// (the old mask kept the district and serial and hid only the birth date, which the page showed beside it; see
    /// docs/security.md, "Masking"). Short text is masked whole.
    /// </summary>
    public static string Mask(string nik) => nik.Length == 16 ? nik[..4] + new string('*', 12) : new string('*', nik.Length);

    /// <summary>
    /// Validates the structure. <paramref name="today"/> decides the century of the 2-digit year (the latest
    /// birth date not in the future) and rejects future birth dates.
    /// </summary>
    public static Result<Nik> Parse(string? text, DateOnly today)
    {
        var s = text?.Trim() ?? "";
        if (s.Length != 16 || !s.All(char.IsAsciiDigit))
        {
            return Error.Invalid("nik.format", "NIK harus 16 digit angka", "NIK must be 16 digits");
        }

        if (s[..2] == "00" || s[2..4] == "00" || s[4..6] == "00")
        {
            return Error.Invalid("nik.region", "Kode wilayah pada NIK tidak valid", "The region code in the NIK is not valid");
        }

        var day = Two(s, 6);
        var month = Two(s, 8);
        var yy = Two(s, 10);
        var sex = day > 40 ? Sex.Female : Sex.Male;
        if (sex == Sex.Female)
        {
            day -= 40;
        }

        if (s[12..] == "0000")
        {
            return Error.Invalid("nik.serial", "Nomor urut NIK tidak boleh 0000", "The NIK serial cannot be 0000");
        }

        if (!TryDate(2000 + yy, month, day, out var birth) || birth > today)
        {
            if (!TryDate(1900 + yy, month, day, out birth))
            {
                return Error.Invalid("nik.birth_date", "Tanggal lahir pada NIK tidak valid", "The birth date in the NIK is not a real date");
            }
        }

        return birth > today
            ? Error.Invalid("nik.birth_date", "Tanggal lahir pada NIK di masa depan", "The birth date in the NIK is in the future")
            : new Nik(s, birth, sex);
    }

    private static int Two(string s, int at) => int.Parse(s.AsSpan(at, 2), NumberStyles.None, CultureInfo.InvariantCulture);

    private static bool TryDate(int y, int m, int d, out DateOnly date)
    {
        date = default;
        if (m is < 1 or > 12 || d < 1 || d > DateTime.DaysInMonth(y, m))
        {
            return false;
        }

        date = new DateOnly(y, m, d);
        return true;
    }

    public override string ToString() => Masked;
}
