using Kawal.Claims.Features;
using Kawal.Compliance.Features;
using Kawal.Data;
using Kawal.Identity;
using Kawal.Monev.Features;
using Kawal.Registry.Features;
using Kawal.Registry.Import;
using Kawal.Regions;
using Kawal.Testing;
using static Kawal.Tests.Registry.ImportFixture;

namespace Kawal.Tests.Data;

/// <summary>
/// Every batch other than billing (BillingConcurrencyTests) holds its lease too: while another process or node holds it,
/// the run is refused before it writes anything, and with Wait it runs once the holder is done.
/// </summary>
public class ExclusiveRunTests
{
    private static readonly Caller Other = Caller.Operator("node2.operator");

    private static Task<Lease> HoldAsync(TestDatabase t, string kind, string scope) =>
        new Leases(t.Database, Today).AcquireAsync(new LeaseRequest(kind, scope, Other.Actor, "proses lain", "another run"));

    [EngineTheory]
    public async Task An_import_is_refused_while_an_import_of_its_kind_runs_and_another_kind_is_not(Engine engine)
    {
        await using var t = await TestDatabase.MigratedAsync(engine);
        await using (await HoldAsync(t, "import", "participants"))
        {
            var refused = await Assert.ThrowsAsync<LeaseHeldException>(() => Import(t, "participants", "participants-comma.csv"));
            Assert.StartsWith("another run is already running (started by cli:node2.operator", refused.Message, StringComparison.Ordinal);
            Assert.StartsWith("Impor participants tidak dapat dimulai: proses yang sama sedang berjalan", refused.Indonesian, StringComparison.Ordinal);
            Assert.Equal(0, await Count(t, "SELECT count(*) FROM imports"));

            var employers = await Import(t, "employers", "employers.csv"); // another kind: not held
            Assert.True(employers.Created > 0);
        }

        Assert.True((await Import(t, "participants", "participants-comma.csv")).Created > 0);
    }

    [EngineTheory]
    public async Task A_waiting_import_runs_when_the_other_is_done(Engine engine)
    {
        await using var t = await TestDatabase.MigratedAsync(engine);
        var held = await HoldAsync(t, "import", "employers");
        var told = new TaskCompletionSource<LeaseHolding>();
        var request = new ImportRequest(File("employers.csv"), Caller.Operator("officer"), Path.Combine(Path.GetTempPath(), "kawal-test-reports", Guid.NewGuid().ToString("N")),
            Wait: true, Waiting: h => told.TrySetResult(h));
        var import = new ImportEmployersHandler(t.Database, new RegionLookup(t.Database), Today).HandleAsync(request);

        Assert.Equal(Other.Actor, (await told.Task.WaitAsync(TimeSpan.FromSeconds(30))).Actor);
        Assert.False(import.IsCompleted);
        await held.DisposeAsync();
        Assert.True((await import.WaitAsync(TimeSpan.FromSeconds(60))).Created > 0);
    }

    [EngineTheory]
    public async Task Detection_pensions_and_the_refresh_are_refused_while_held(Engine engine)
    {
        await using var t = await TestDatabase.MigratedAsync(engine);
        await using (await HoldAsync(t, "compliance-detect", "all"))
        {
            await Assert.ThrowsAsync<LeaseHeldException>(() => new ComplianceDetector(t.Database, Today).RunAsync(null, Caller.Operator("officer")));
            Assert.Equal(0, await Count(t, "SELECT count(*) FROM compliance_cases"));
        }

        await using (await HoldAsync(t, "pensions", "all"))
        {
            await Assert.ThrowsAsync<LeaseHeldException>(() => new PensionRunner(t.Database, Today).RunAsync(new Period(2026, 10), Caller.Operator("officer")));
            Assert.Equal(0, await Count(t, "SELECT count(*) FROM pension_runs"));
        }

        await using (await HoldAsync(t, "monev-refresh", "all"))
        {
            await Assert.ThrowsAsync<LeaseHeldException>(() => new SummaryRefresher(t.Database, Today).RefreshAsync(null, null, Caller.Operator("officer")));
            Assert.Equal(0, await Count(t, "SELECT count(*) FROM monev_refresh"));
        }

        // Released: each runs.
        await new ComplianceDetector(t.Database, Today).RunAsync(null, Caller.Operator("officer"));
        await new PensionRunner(t.Database, Today).RunAsync(new Period(2026, 10), Caller.Operator("officer"));
        await new SummaryRefresher(t.Database, Today).RefreshAsync(null, null, Caller.Operator("officer"));
        Assert.Equal(1, await Count(t, "SELECT count(*) FROM pension_runs"));
        Assert.True(await Count(t, "SELECT count(*) FROM monev_refresh") > 0);
        Assert.Equal(0, await Count(t, "SELECT count(*) FROM leases"));
    }
}
