using System.Diagnostics;
using Kawal.Data;
using Kawal.Testing;
using static Kawal.Tests.Contributions.LedgerFixture;
using static Kawal.Tests.Registry.ImportFixture;

namespace Kawal.Tests.Contributions;

/// <summary>
/// A real <c>kawal billing run</c> process killed in the middle, then the month billed again: the ledger must end exactly
/// as after one uninterrupted run — whole batches in between, the same run resumed, nothing billed twice.
/// </summary>
public class BillingCrashTests
{
    private const int Rows = 20_000;
    private const int Batch = 20; // small batches keep the run long enough (now ~800 commits) to be killed part-way
    private static readonly Period June = new(2025, 6);

    [EngineTheory]
    public async Task A_killed_billing_run_run_again_ends_as_one_uninterrupted_run(Engine engine)
    {
        await using var reference = await PopulatedAsync(engine, Rows);
        await using var crashed = await PopulatedAsync(engine, Rows);
        var complete = await Bill(reference, June, batch: Batch);

        using (var process = StartBilling(crashed, June, Batch))
        {
            var watch = Stopwatch.StartNew();
            while (await Count(crashed, "SELECT count(*) FROM bill_lines") < 2_000 && !process.HasExited && watch.Elapsed < TimeSpan.FromSeconds(120))
            {
                await Task.Delay(10);
            }

            Assert.False(process.HasExited, "the run finished before it could be killed: use more rows");
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        var lines = await Count(crashed, "SELECT count(*) FROM bill_lines");
        Assert.InRange(lines, 2_000, complete.Lines - 1);
        Assert.Equal(1, await Count(crashed, "SELECT count(*) FROM billing_runs WHERE status = 'running'"));
        // Whole batches only: every line up to the run's cursor, none beyond it.
        Assert.Equal(0, await Count(crashed, "SELECT count(*) FROM bill_lines WHERE membership_id > (SELECT cursor_id FROM billing_runs)"));
        Assert.Equal(0, await Count(crashed, "SELECT count(*) FROM bills b WHERE amount <> (SELECT SUM(amount) FROM bill_lines l WHERE l.bill_id = b.id)"));

        var resumed = await Bill(crashed, June, batch: Batch);

        Assert.True(resumed.Resumed);
        Assert.Equal(complete with { Created = 0, Unchanged = 0, Skipped = 0, Resumed = true, Problems = resumed.Problems },
            resumed with { Created = 0, Unchanged = 0, Skipped = 0 });
        Assert.Equal(await StateAsync(reference), await StateAsync(crashed));
        Assert.Equal(1, await Count(crashed, "SELECT count(*) FROM billing_runs WHERE status = 'completed'"));
    }
}
