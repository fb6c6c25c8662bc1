using System.Text;
using Kawal.Registry.Import;

namespace Kawal.Registry.Features;

/// <summary>Empty import files with the documented columns and one example row (CSV UTF-8 with BOM, as Excel expects).</summary>
public static class ImportTemplates
{
    public static readonly IReadOnlyDictionary<string, string[]> Examples = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["participants"] = ["6371021708850001", "Budi Santoso", "1985-08-17", "L", "081234567890", "63.71", "PU", "63710001", "non_asn", "", "employer", "2.500.000", "JKK,JKM,JHT,JP,JKP", "2024-01-01"],
        ["employers"] = ["63710001", "", "Sekretariat Daerah Kota Banjarmasin", "regional_gov", "63.71", "1", "medium", "Jl. R.E. Martadinata No. 1, Banjarmasin", "active"],
    };

    public static async Task WriteAsync(string kind, string path, CancellationToken ct = default) =>
        await File.WriteAllTextAsync(path, Text(kind), new UTF8Encoding(true), ct);

    /// <summary>The template's text: the header and one example row.</summary>
    public static string Text(string kind)
    {
        var columns = kind switch
        {
            "participants" => Columns.Participants,
            "employers" => Columns.Employers,
            _ => throw new UsageException($"template must be participants or employers, not '{kind}'", "kind") { Indonesian = "Templat yang tersedia: peserta atau pemberi kerja." },
        };
        var sb = new StringBuilder();
        sb.AppendLine(string.Join(',', columns.Select(c => c.Name)));
        sb.AppendLine(string.Join(',', Examples[kind].Select(v => v.Contains(',', StringComparison.Ordinal) ? $"\"{v}\"" : v)));
        return sb.ToString();
    }
}
