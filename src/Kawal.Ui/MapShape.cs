namespace Kawal.Ui;

/// <summary>One area of an SVG map: its outline in SVG path syntax, where it links to, and its fill.</summary>
public sealed record MapShape(string Code, string Name, string PathData, string Href, string? Fill = null, string? Tooltip = null);

/// <summary>A whole map: shapes in one coordinate space.</summary>
public sealed record MapModel(IReadOnlyList<MapShape> Shapes, double Width, double Height);
