using System.Globalization;
using System.Text;
using System.Text.Json;
using Kawal.Regions.Data;
using Kawal.Ui;

namespace Kawal.Regions.Maps;

/// <summary>
/// Province outlines from data/reference (GeoJSON, WGS84) projected to SVG paths once, for the map of any date:
/// the 34 provinces of 2021 before the Papua split of 25 July 2022, the 38 current ones after it (between then
/// and 8 December 2022 Papua Barat Daya's area is still drawn as part of Papua Barat, code 92).
/// </summary>
public sealed class ProvinceMaps
{
    public const double Width = 1000;
    private static readonly DateOnly PapuaSplit = new(2022, 7, 25);
    private static readonly DateOnly PapuaBaratDaya = new(2022, 12, 8);

    private readonly Lazy<(List<Outline> Now, List<Outline> Then, double Height)> _outlines = new(Build);

    /// <summary>The provinces valid on <paramref name="date"/>, each linking to <paramref name="href"/>(code), coloured by the CSS class <paramref name="colour"/>(code).</summary>
    public MapModel For(DateOnly date, Func<string, string> href, Func<string, string?>? colour = null, Func<string, string, string?>? tooltip = null)
    {
        var (now, then, height) = _outlines.Value;
        var source = date < PapuaSplit ? then : now;
        var shapes = source.Select(o =>
        {
            var code = date >= PapuaSplit && date < PapuaBaratDaya && o.Code2021 is { } old && o.Code != old ? old : o.Code;
            var name = code == o.Code ? o.Name : source.First(x => x.Code == code).Name;
            return new MapShape(code, name, o.Path, href(code), colour?.Invoke(code), tooltip?.Invoke(code, name));
        }).ToList();
        return new MapModel(shapes, Width, height);
    }

    private sealed record Outline(string Code, string Name, string? Code2021, List<List<(double Lon, double Lat)>> Rings)
    {
        public string Path { get; set; } = "";
    }

    private static (List<Outline>, List<Outline>, double) Build()
    {
        var now = Read("provinces.geojson");
        var then = Read("provinces_2021.geojson");
        var all = now.Concat(then).SelectMany(o => o.Rings).SelectMany(r => r).ToList();
        double minLon = all.Min(p => p.Lon), maxLon = all.Max(p => p.Lon), minLat = all.Min(p => p.Lat), maxLat = all.Max(p => p.Lat);
        var scale = Width / (maxLon - minLon);
        var height = Math.Ceiling((maxLat - minLat) * scale);
        foreach (var o in now.Concat(then))
        {
            o.Path = ToPath(o.Rings, p => ((p.Lon - minLon) * scale, (maxLat - p.Lat) * scale));
        }

        return (now, then, height);
    }

    /// <summary>SVG path of the rings; points closer than half a pixel to the previous one are dropped.</summary>
    private static string ToPath(List<List<(double Lon, double Lat)>> rings, Func<(double Lon, double Lat), (double X, double Y)> project)
    {
        var sb = new StringBuilder();
        foreach (var ring in rings)
        {
            var pts = new List<(double X, double Y)>();
            foreach (var p in ring.Select(project))
            {
                if (pts.Count == 0 || Math.Abs(p.X - pts[^1].X) + Math.Abs(p.Y - pts[^1].Y) >= 0.5)
                {
                    pts.Add(p);
                }
            }

            if (pts.Count < 3)
            {
                continue;
            }

            sb.Append('M');
            for (var i = 0; i < pts.Count; i++)
            {
                sb.Append(i == 0 ? "" : "L").Append(N(pts[i].X)).Append(' ').Append(N(pts[i].Y));
            }

            sb.Append('Z');
        }

        return sb.ToString();
    }

    private static string N(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);

    private static List<Outline> Read(string file)
    {
        using var doc = JsonDocument.Parse(ReferenceFiles.Read(file));
        var list = new List<Outline>();
        foreach (var f in doc.RootElement.GetProperty("features").EnumerateArray())
        {
            var props = f.GetProperty("properties");
            var code = props.GetProperty("code").GetString()!;
            var name = props.GetProperty("name").GetString()!;
            var code2021 = props.TryGetProperty("code_2021", out var c21) ? c21.GetString() : null;
            var geometry = f.GetProperty("geometry");
            var coords = geometry.GetProperty("coordinates");
            var polygons = geometry.GetProperty("type").GetString() == "Polygon"
                ? [coords]
                : coords.EnumerateArray().ToList();
            var rings = polygons.SelectMany(poly => poly.EnumerateArray())
                .Select(ring => ring.EnumerateArray().Select(pt => (pt[0].GetDouble(), pt[1].GetDouble())).ToList())
                .ToList();
            list.Add(new Outline(code, name, code2021, rings));
        }

        return list;
    }
}
