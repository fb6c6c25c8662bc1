namespace Kawal;

/// <summary>
/// Small-cell suppression for figures published to the public (docs/security.md): a count of people below
/// <see cref="Threshold"/> is not shown, so that no person can be singled out from open figures.
/// </summary>
public static class SmallCells
{
    public const int Threshold = 10;

    /// <summary>The count when it may be published, else null (shown as "&lt;10").</summary>
    public static long? Publishable(long count) => count is > 0 and < Threshold ? null : count;

    public static string Show(long count, Func<long, string> format) => Publishable(count) is { } n ? format(n) : $"<{Threshold}";
}
