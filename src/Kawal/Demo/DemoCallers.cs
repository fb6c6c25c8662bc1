using Kawal.Identity;

namespace Kawal.Demo;

/// <summary>Who the demo acts as: the operator, the national monitoring team, and a region's officers.</summary>
internal static class DemoCallers
{
    public static Caller Admin { get; } = Caller.Operator("demo");

    public static Caller National { get; } = new("demo:tim-monev", Role.NationalMonitor, RegionScope.National, Permissions.Of(Role.NationalMonitor));

    /// <summary>The officers of a province (two-digit code) or a regency/city.</summary>
    public static Caller Officer(string code)
    {
        var role = code.Length == 2 ? Role.ProvinceOfficer : Role.RegencyOfficer;
        return new($"demo:op-{code}", role, RegionScope.Of(RegionCode.Parse(code)), Permissions.Of(role));
    }
}
