namespace Kawal.Rules.Benefits;

/// <summary>The scholarship ceiling: per child the sum over levels of amount × years; at most the maximum number of children.</summary>
internal static class Scholarship
{
    public static long Maximum(Trace t, int children)
    {
        long perChild = 0;
        foreach (var (level, id, en) in new[] { ("tk_sd", "TK–SD", "kindergarten-primary"), ("smp", "SMP", "junior secondary"), ("sma", "SMA", "senior secondary"), ("higher", "perguruan tinggi", "higher education") })
        {
            var amount = (long)t.Use($"scholarship.{level}.amount", $"Beasiswa {id} per tahun", $"Scholarship, {en}, per year");
            var years = (long)t.Use($"scholarship.{level}.years", $"Lama beasiswa {id} (tahun)", $"Scholarship years, {en}");
            perChild += amount * years;
        }

        t.Use("scholarship.max_age", "Anak menerima beasiswa sampai usia di bawah", "A child receives the scholarship while younger than");
        var max = (int)t.Use("scholarship.max_children", "Jumlah anak maksimum", "Maximum number of children");
        var counted = Math.Min(children, max);
        return t.Amount($"Beasiswa maksimum = {counted} anak × {Trace.Rp(perChild)}", $"Scholarship ceiling = {counted} children × {Trace.Rp(perChild)}", counted * perChild);
    }
}
