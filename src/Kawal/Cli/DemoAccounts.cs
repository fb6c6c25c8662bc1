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
        await Kawal.Demo.DemoEmployer.EnsureAsync(sp.GetRequiredService<RegisterRecordsHandler>(), demo, ct);
        return await sp.GetRequiredService<DemoUsers>().EnsureAsync(demo, ct);
    }
}
