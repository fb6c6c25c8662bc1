using System.Globalization;
using System.Text;
using Kawal.Registry.Domain;
using Kawal.Registry.Features;

namespace Kawal.Registry.Import;

/// <summary>The error report's CSV: one line per rejected field, values neutralised against spreadsheet formulas.</summary>
internal static class ImportReport
{
    public const string Header = "row,column,code,message_id,message_en,value";

    public static string Line(RowError e) => Join(e.RowNumber, e.Column, e.Code, e.MessageId, e.MessageEn, Values.NeutraliseForExport(e.Value));

    /// <summary>The report rebuilt from the ledger (values there were neutralised when the report was first written).</summary>
    public static byte[] Csv(IEnumerable<ImportErrorRecord> errors)
    {
        var text = new StringBuilder().AppendLine(Header);
        foreach (var e in errors)
        {
            text.AppendLine(Join(e.Row, e.Column, e.Code, e.MessageId, e.MessageEn, e.Value ?? ""));
        }

        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text.ToString())];
    }

    private static string Join(int row, string? column, string code, string id, string en, string value) =>
        string.Join(',', new[] { row.ToString(CultureInfo.InvariantCulture), column ?? "", code, id, en, value }.Select(Kawal.Csv.Field));
}
