namespace Kawal;

public enum RegionLevel
{
    Province,
    Regency,
    District,
    Village,
}

/// <summary>A Kemendagri region code: <c>PP</c>, <c>PP.RR</c>, <c>PP.RR.DD</c> or <c>PP.RR.DD.VVVV</c>.</summary>
public readonly record struct RegionCode
{
    private RegionCode(string value, RegionLevel level)
    {
        Value = value;
        Level = level;
    }

    public string Value { get; }
    public RegionLevel Level { get; }

    /// <summary>The province part (first two digits).</summary>
    public string Province => Value[..2];

    public RegionCode? Parent => Level switch
    {
        RegionLevel.Province => null,
        _ => new RegionCode(Value[..Value.LastIndexOf('.')], Level - 1),
    };

    public static bool TryParse(string? text, out RegionCode code)
    {
        code = default;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var parts = text.Split('.');
        int[] widths = [2, 2, 2, 4];
        if (parts.Length > widths.Length)
        {
            return false;
        }

        for (var i = 0; i < parts.Length; i++)
        {
            if (parts[i].Length != widths[i] || !parts[i].All(char.IsAsciiDigit) || parts[i].All(c => c == '0'))
            {
                return false;
            }
        }

        code = new RegionCode(text, (RegionLevel)(parts.Length - 1));
        return true;
    }

    public static RegionCode Parse(string text) =>
        TryParse(text, out var c) ? c : throw new FormatException($"'{text}' is not a Kemendagri region code (e.g. 63 or 63.71)");

    public override string ToString() => Value;
}
