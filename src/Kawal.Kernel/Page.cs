namespace Kawal;

/// <summary>One page of a list result.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, int Total, int PageNumber, int PageSize);
