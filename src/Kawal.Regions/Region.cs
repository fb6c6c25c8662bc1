namespace Kawal.Regions;

/// <summary>A province or regency/city as Kemendagri codes it, valid over [ValidFrom, ValidTo).</summary>
public sealed record Region(
    string Code,
    string? ParentCode,
    string Level,
    string Name,
    string Type,
    DateOnly? ValidFrom,
    DateOnly? ValidTo,
    string? SuccessorCode,
    string? BpsCode)
{
    public const string Province = "province";
    public const string Regency = "regency";

    public bool IsValidOn(DateOnly date) => (ValidFrom is null || ValidFrom <= date) && (ValidTo is null || date < ValidTo);

    /// <summary>The last day this region was valid, or null while it still is.</summary>
    public DateOnly? LastValidDay => ValidTo?.AddDays(-1);
}

/// <summary>A region with its parent and its children valid on <see cref="AsOf"/>.</summary>
public sealed record RegionDetail(Region Region, Region? Parent, IReadOnlyList<Region> Children, DateOnly AsOf, Region? Successor);
