using Kawal.Ui;

namespace Kawal.Regions.Pages;

internal static class RegionLabels
{
    public static string Type(string type) => type switch
    {
        "provinsi" => L.T("Provinsi", "Province"),
        "kabupaten" => L.T("Kabupaten", "Regency"),
        "kota" => L.T("Kota", "City"),
        _ => type,
    };

    public static string Href(string code, DateOnly? date) =>
        date is { } d ? $"/wilayah/{code}?tanggal={d.ToIso()}" : $"/wilayah/{code}";
}
