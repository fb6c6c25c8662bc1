namespace Kawal.Regions;

/// <summary>A region as the API and <c>kawal regions list --json</c> show it.</summary>
public sealed record RegionDto(
    string Code,
    string Name,
    string Level,
    string Type,
    string? ParentCode,
    DateOnly? ValidFrom,
    DateOnly? ValidTo,
    string? SuccessorCode,
    string? BpsCode)
{
    public static RegionDto From(Region r) =>
        new(r.Code, r.Name, r.Level, r.Type, r.ParentCode, r.ValidFrom, r.ValidTo, r.SuccessorCode, r.BpsCode);
}

public sealed record RegionListResponse(DateOnly Date, int Total, IReadOnlyList<RegionDto> Items);

public sealed record RegionDetailResponse(
    string Code,
    string Name,
    string Level,
    string Type,
    string? ParentCode,
    DateOnly? ValidFrom,
    DateOnly? ValidTo,
    string? SuccessorCode,
    string? BpsCode,
    RegionDto? Parent,
    RegionDto? Successor,
    DateOnly ChildrenAsOf,
    IReadOnlyList<RegionDto> Children)
{
    public static RegionDetailResponse From(RegionDetail d)
    {
        var r = d.Region;
        return new(r.Code, r.Name, r.Level, r.Type, r.ParentCode, r.ValidFrom, r.ValidTo, r.SuccessorCode, r.BpsCode,
            d.Parent is null ? null : RegionDto.From(d.Parent),
            d.Successor is null ? null : RegionDto.From(d.Successor),
            d.AsOf, d.Children.Select(RegionDto.From).ToList());
    }
}
