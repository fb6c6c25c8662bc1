using System.Text.Json;
using System.Text.Json.Serialization;
using Kawal.Regions;

namespace Kawal.Monev.Features;

/// <summary>An instruction of Inpres 2/2021 to a group of addressees, how it is evidenced and how Kawal measures it.</summary>
public sealed record Obligation(
    string Id,
    string Group,
    [property: JsonPropertyName("id_text")] string TextId,
    [property: JsonPropertyName("en_text")] string TextEn,
    string Evidence,
    string Measure,
    [property: JsonPropertyName("id_measure")] string MeasureId,
    [property: JsonPropertyName("en_measure")] string MeasureEn);

/// <summary>
/// An addressee of the Inpres: a central ministry or agency (<c>central:ID</c>), a governor (<c>gubernur:35</c>), or a
/// regent or mayor (<c>bupati:35.07</c>, <c>walikota:35.73</c>).
/// </summary>
public sealed record AddresseeDto(string Id, string Title, string TitleEn, string Kind, string? RegionCode, string? ParentCode, int Count, string Confidence, IReadOnlyList<string> Obligations);

public sealed record AddresseeListDto(string AsOf, int Central, int Governors, int Regents, int Mayors, string Source, IReadOnlyList<AddresseeDto> Items, IReadOnlyList<Obligation> Obligations);

/// <summary>The Inpres addressees: the central ones from data/addressees.json, the regional heads from the regions reference valid on a date.</summary>
public sealed class AddresseeCatalogue(RegionLookup regions)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static readonly Lazy<CatalogueFile> File = new(() =>
        JsonSerializer.Deserialize<CatalogueFile>(Kawal.Data.EmbeddedFiles.Read(typeof(AddresseeCatalogue).Assembly, "kawal.monev.addressees.json"), Json)
        ?? throw new KawalException("addressees.json is empty"));

    public static IReadOnlyList<string> RegionalObligations { get; } = ["R1", "R2", "R3", "R4", "R5", "R6"];

    public static IReadOnlyList<Obligation> Obligations => File.Value.Obligations;

    public async Task<AddresseeListDto> ListAsync(DateOnly asOf, CancellationToken ct = default)
    {
        var set = await regions.LoadAsync(ct);
        var items = File.Value.Central.Select(c => new AddresseeDto("central:" + c.Id, c.Title, c.EnTitle, c.Kind, null, null, c.Count ?? 1, c.Confidence, c.Obligations)).ToList();
        foreach (var r in set.ValidOn(asOf).OrderBy(r => r.Code, StringComparer.Ordinal))
        {
            items.Add(ForRegion(r));
        }

        return new AddresseeListDto(asOf.ToIso(), items.Where(i => i.RegionCode is null).Sum(i => i.Count), items.Count(i => i.Kind == "governor"),
            items.Count(i => i.Kind == "regent"), items.Count(i => i.Kind == "mayor"), File.Value.Source, items, Obligations);
    }

    public async Task<AddresseeDto?> FindAsync(string id, CancellationToken ct = default)
    {
        if (id.StartsWith("central:", StringComparison.Ordinal))
        {
            return File.Value.Central.Where(c => "central:" + c.Id == id)
                .Select(c => new AddresseeDto(id, c.Title, c.EnTitle, c.Kind, null, null, c.Count ?? 1, c.Confidence, c.Obligations)).FirstOrDefault();
        }

        var colon = id.IndexOf(':', StringComparison.Ordinal);
        var code = colon < 0 ? id : id[(colon + 1)..];
        var region = (await regions.LoadAsync(ct)).Find(code);
        return region is null ? null : ForRegion(region) is var a && (colon < 0 || a.Id == id) ? a : null;
    }

    public static string IdOf(Region r) => r.Level == Region.Province ? "gubernur:" + r.Code : (r.Type == "kota" ? "walikota:" : "bupati:") + r.Code;

    private static AddresseeDto ForRegion(Region r)
    {
        var (kind, title, en) = r.Level == Region.Province ? ("governor", "Gubernur " + r.Name, "Governor of " + r.Name)
            : r.Type == "kota" ? ("mayor", "Wali Kota " + Short(r.Name), "Mayor of " + r.Name)
            : ("regent", "Bupati " + Short(r.Name), "Regent of " + r.Name);
        return new AddresseeDto(IdOf(r), title, en, kind, r.Code, r.ParentCode, 1, "✔✔", RegionalObligations);
    }

    private static string Short(string name) => name.Replace("Kabupaten ", "", StringComparison.Ordinal).Replace("Kota Administrasi ", "", StringComparison.Ordinal).Replace("Kota ", "", StringComparison.Ordinal);

    private sealed record CatalogueFile(string Source, List<Obligation> Obligations, List<CentralRow> Central);

    private sealed record CentralRow(string Id, string Title, [property: JsonPropertyName("en_title")] string EnTitle, string Kind, int? Count, string Confidence, List<string> Obligations);
}
