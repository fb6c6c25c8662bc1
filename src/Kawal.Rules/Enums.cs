namespace Kawal.Rules;

public enum Segment
{
    PU,
    BPU,
    JAKON,
    PMI,
}

/// <summary>The five Jamsostek programmes, as a set.</summary>
[Flags]
public enum Programmes
{
    None = 0,
    JKK = 1,
    JKM = 2,
    JHT = 4,
    JP = 8,
    JKP = 16,
}

public static class ProgrammeSets
{
    public static readonly Programmes[] Each = [Programmes.JKK, Programmes.JKM, Programmes.JHT, Programmes.JP, Programmes.JKP];

    /// <summary>Programmes a segment may have at all (BPU, PMI: no JP, no JKP; Jakon: JKK and JKM).</summary>
    public static Programmes Allowed(Segment s) => s switch
    {
        Segment.PU => Programmes.JKK | Programmes.JKM | Programmes.JHT | Programmes.JP | Programmes.JKP,
        Segment.BPU or Segment.PMI => Programmes.JKK | Programmes.JKM | Programmes.JHT,
        _ => Programmes.JKK | Programmes.JKM,
    };

    /// <summary>Defaults: PU all five (JKP where it exists on the date); BPU and Jakon JKK+JKM; PMI JKK+JKM.</summary>
    public static Programmes Default(Segment s) => s == Segment.PU
        ? Programmes.JKK | Programmes.JKM | Programmes.JHT | Programmes.JP | Programmes.JKP
        : Programmes.JKK | Programmes.JKM;

    public static Programmes Parse(string text)
    {
        var result = Programmes.None;
        foreach (var part in text.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries))
        {
            if (!Enum.TryParse<Programmes>(part.Trim(), ignoreCase: true, out var p) || p == Programmes.None || !Each.Contains(p))
            {
                throw new UsageException($"programmes: '{part}' is not one of JKK, JKM, JHT, JP, JKP", "programmes") { Indonesian = $"Program '{part}' tidak dikenal; pilih dari JKK, JKM, JHT, JP, JKP." };
            }

            result |= p;
        }

        return result == Programmes.None ? throw new UsageException("programmes: give at least one programme", "programmes") { Indonesian = "Pilih paling sedikit satu program." } : result;
    }

    public static string Format(Programmes p) => string.Join(",", Each.Where(x => p.HasFlag(x)));
}
