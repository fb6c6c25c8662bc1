namespace Kawal.Ui;

/// <summary>One area of an SVG map: its outline in SVG path syntax, where it links to, and a CSS class for its colour
/// (the stylesheet colours <c>c0</c>…<c>c4</c>, <c>c-none</c>, <c>here</c>, <c>other</c>; the policy refuses inline styles).</summary>
public sealed record MapShape(string Code, string Name, string PathData, string Href, string? Class = null, string? Tooltip = null);

/// <summary>A whole map: shapes in one coordinate space.</summary>
public sealed record MapModel(IReadOnlyList<MapShape> Shapes, double Width, double Height);
