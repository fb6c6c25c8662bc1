namespace Kawal.Monev.Reports;

/// <summary>A table of a report: column headings, rows of display text, and which columns are numbers (right-aligned; numeric cells in XLSX).</summary>
public sealed record ReportTable(string Key, string Title, IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string>> Rows, IReadOnlySet<int> NumericColumns,
    IReadOnlyList<double>? Widths = null);

/// <summary>A bar chart: labelled values (drawn in the PDF; their table is in every format).</summary>
public sealed record ReportChart(string Title, IReadOnlyList<(string Label, double Value, string Display)> Bars);

/// <summary>
/// A report in Indonesian: title, lines under it, then sections of charts and tables, rendered as PDF, XLSX or CSV.
/// <see cref="Footnote"/> (source, when it was made, the data's date) stands at the foot of every PDF page and in the
/// XLSX summary sheet and CSV.
/// </summary>
public sealed record ReportDocument(string Title, IReadOnlyList<string> Lines, IReadOnlyList<ReportChart> Charts, IReadOnlyList<ReportTable> Tables, string? Footnote = null);
