namespace Kawal.Regions.Data;

internal sealed class RegionRow
{
    public const string Columns =
        "code AS Code, parent_code AS ParentCode, level AS Level, name AS Name, type AS Type, " +
        "valid_from AS ValidFrom, valid_to AS ValidTo, successor_code AS SuccessorCode, bps_code AS BpsCode";

    public string Code { get; set; } = "";
    public string? ParentCode { get; set; }
    public string Level { get; set; } = "";
    public string Name { get; set; } = "";
    public string Type { get; set; } = "";
    public DateOnly? ValidFrom { get; set; }
    public DateOnly? ValidTo { get; set; }
    public string? SuccessorCode { get; set; }
    public string? BpsCode { get; set; }

    public Region ToRegion() => new(Code, ParentCode, Level, Name, Type, ValidFrom, ValidTo, SuccessorCode, BpsCode);
}
