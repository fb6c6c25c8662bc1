using Kawal.Identity;
using Kawal.Registry.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Kawal.Cli;

/// <summary>The demo accounts and the employer the demo employer account belongs to.</summary>
internal static class DemoAccounts
{
    public static async Task<int> EnsureAsync(IServiceProvider sp, CancellationToken ct)
    {
        var demo = Caller.Operator("demo");
        var registry = sp.GetRequiredService<RegisterRecordsHandler>();
        var result = await registry.RegisterEmployerAsync(new Dictionary<string, string?>
        {
            ["npp"] = DemoUsers.EmployerNpp,
            ["name"] = "Pemerintah Kabupaten Malang (demo)",
            ["kind"] = "regional_gov",
            ["region_code"] = "35.07",
            ["risk_class"] = "1",
            ["size"] = "large",
            ["status"] = "active",
        }, demo, ct: ct);
        if (!result.Ok)
        {
            throw new KawalException($"cannot create the demo employer: {result.Errors[0].MessageEn}");
        }

        return await sp.GetRequiredService<DemoUsers>().EnsureAsync(demo, ct);
    }
}
