namespace Kawal.Identity;

/// <summary>
/// The regions a caller may see: the whole country, or one province or regency/city with everything below it.
/// <see cref="Sql"/> gives the filter that every registry query applies, so that scope is enforced in data access.
/// </summary>
public sealed record RegionScope
{
    private RegionScope(string? code) => Code = code;

    public static RegionScope National { get; } = new((string?)null);

    /// <summary>Null for national; otherwise a province (<c>35</c>) or regency/city (<c>35.07</c>) code.</summary>
    public string? Code { get; }

    public bool IsNational => Code is null;

    public static RegionScope Of(RegionCode code) => new(code.Value);

    public bool Covers(string? regionCode) =>
        Code is null || (regionCode is not null && (regionCode == Code || regionCode.StartsWith(Code + ".", StringComparison.Ordinal)));

    /// <summary>
    /// SQL that is true when <paramref name="column"/> lies in the scope; binds <c>@ScopeRegion</c> (see
    /// <see cref="Parameter"/>), or the parameter named. National scope gives <c>1 = 1</c>.
    /// </summary>
    public string Sql(string column, string parameter = "@ScopeRegion") => Code is null ? "1 = 1" : $"({column} = {parameter} OR {column} LIKE {parameter} || '.%')";

    /// <summary>The value of <c>@ScopeRegion</c> (bind it even when national; it is then unused).</summary>
    public string Parameter => Code ?? "";

    public override string ToString() => Code ?? "national";
}
