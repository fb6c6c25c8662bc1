namespace Kawal.Testing;

/// <summary>A clock that stays where the test puts it. Local time is Western Indonesia Time (UTC+7).</summary>
public sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    private static readonly TimeZoneInfo Wib = TimeZoneInfo.CreateCustomTimeZone("WIB", TimeSpan.FromHours(7), "WIB", "WIB");

    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now.ToUniversalTime();

    public override TimeZoneInfo LocalTimeZone => Wib;
}
