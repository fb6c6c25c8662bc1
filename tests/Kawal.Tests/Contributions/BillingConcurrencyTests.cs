using System.Diagnostics;
using Dapper;
using Kawal.Contributions.Features;
using Kawal.Data;
using Kawal.Identity;
using Kawal.Testing;
using static Kawal.Tests.Contributions.LedgerFixture;
using static Kawal.Tests.Registry.ImportFixture;

namespace Kawal.Tests.Contributions;

/// <summary>
/// Billing runs of one month started at the same time — in one process, in three processes, or one taken over after its
/// lease lapsed — bill every membership once: one run at a time holds the month (docs/operations.md, "Exclusive runs").
/// </summary>
public class BillingConcurrencyTests
{
    private const int Rows = 3_000;
    private const int Batch = 20; // ~150 commits: the first run is still writing when the others ask

    [EngineTheory]
    public async Task Three_runs_of_a_month_at_once_bill_every_membership_once_and_the_late_ones_are_refused(Engine engine)
    {
        await using var t = await PopulatedAsync(engine, Rows);
        var expected = await ExpectedAsync(t, October);
        using var start = new Barrier(3);
        var refusals = new CountdownEvent(2);
        // The run that holds the month pauses after its first batch until both others were turned away: the three overlap.
        var holding = new Pause(() => refusals.Wait(TimeSpan.FromSeconds(60)));

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(async () =>
        {
            var runner = Runner(t);
            runner.BatchSize = Batch;
            start.SignalAndWait();
            try
            {
                return (Summary: await runner.RunAsync(new BillingRequest(October, null, Caller.Operator("billing")), holding, CancellationToken.None), Refused: (LeaseHeldException?)null);
            }
            catch (LeaseHeldException e)
            {
                refusals.Signal();
                return (Summary: (BillingSummary?)null, Refused: e);
            }
        })));

        var completed = Assert.Single(outcomes, o => o.Summary is not null);
        var refused = outcomes.Where(o => o.Refused is not null).ToList();
        Assert.Equal(2, refused.Count);
        Assert.Equal(expected.Memberships, completed.Summary!.Created);
        Assert.All(refused, r => Assert.Contains("billing run of 2026-10 is already running", r.Refused!.Message, StringComparison.Ordinal));
        Assert.All(refused, r => Assert.Contains("Penagihan iuran 2026-10 tidak dapat dimulai: proses yang sama sedang berjalan", r.Refused!.Indonesian, StringComparison.Ordinal));
        await AssertBilledOnceAsync(t, expected);
        Assert.Equal(0, await Count(t, "SELECT count(*) FROM leases")); // released at the end
    }

    [EngineTheory]
    public async Task Three_runs_that_wait_take_turns_and_the_later_ones_change_nothing(Engine engine)
    {
        await using var t = await PopulatedAsync(engine, Rows);
        var expected = await ExpectedAsync(t, October);
        using var start = new Barrier(3);
        var waiting = new CountdownEvent(2);
        // The run that holds the month pauses after its first batch until both others are waiting for it.
        var holding = new Pause(() => waiting.Wait(TimeSpan.FromSeconds(60)));

        var summaries = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(async () =>
        {
            var runner = Runner(t);
            runner.BatchSize = Batch;
            runner.Waiting = _ => waiting.Signal();
            start.SignalAndWait();
            return await runner.RunAsync(new BillingRequest(October, null, Caller.Operator("billing"), Wait: true), holding, CancellationToken.None);
        })));

        Assert.True(waiting.IsSet, "the other runs did not wait");
        Assert.Single(summaries, s => s.Created == expected.Memberships);
        Assert.Equal(2, summaries.Count(s => s.Created == 0 && s.Supplementary == 0 && s.Unchanged == expected.Memberships));
        Assert.All(summaries, s => Assert.Equal((summaries[0].Memberships, summaries[0].Bills, summaries[0].Lines, summaries[0].Total), (s.Memberships, s.Bills, s.Lines, s.Total)));
        await AssertBilledOnceAsync(t, expected);
        Assert.Equal(3, await Count(t, "SELECT count(*) FROM billing_runs WHERE status = 'completed'"));
    }

    /// <summary>The reported case: three <c>kawal billing run</c> processes started together on one database.</summary>
    [EngineTheory]
    public async Task Three_command_line_runs_at_once_bill_every_membership_once(Engine engine)
    {
        await using var t = await PopulatedAsync(engine, Rows);
        var expected = await ExpectedAsync(t, October);

        var processes = Enumerable.Range(0, 3).Select(_ => StartBilling(t, October, Batch)).ToList();
        var results = new List<(int Code, string Err)>();
        foreach (var p in processes)
        {
            var err = p.StandardError.ReadToEndAsync();
            await p.StandardOutput.ReadToEndAsync();
            await p.WaitForExitAsync();
            results.Add((p.ExitCode, await err));
            p.Dispose();
        }

        Assert.Contains(results, r => r.Code == 0);
        Assert.All(results.Where(r => r.Code != 0), r =>
        {
            Assert.Equal(1, r.Code);
            Assert.Matches("^kawal: the billing run of 2026-10 is already running \\(started by .+\\); it must finish first", r.Err);
        });
        await AssertBilledOnceAsync(t, expected);
    }

    /// <summary>While another node bills the month, <c>kawal billing run</c> refuses with exit 1; with --wait it bills after it.</summary>
    [EngineTheory]
    public async Task The_command_refuses_while_another_node_bills_the_month_and_with_wait_follows_it(Engine engine)
    {
        await using var t = await PopulatedAsync(engine, 200);
        var other = await new Leases(t.Database, TimeProvider.System).AcquireAsync(BillingRunner.LeaseFor(October, null, Caller.Operator("node2.operator")));

        using (var refused = StartBilling(t, October, Batch))
        {
            var err = await refused.StandardError.ReadToEndAsync();
            await refused.WaitForExitAsync();
            Assert.Equal(1, refused.ExitCode);
            Assert.StartsWith($"kawal: the billing run of 2026-10 is already running (started by cli:node2.operator on {Leases.Host}, process {Environment.ProcessId}, at ", err, StringComparison.Ordinal);
        }

        Assert.Equal(0, await Count(t, "SELECT count(*) FROM billing_runs"));
        using var waiting = StartBilling(t, October, Batch, "--wait");
        var firstLine = await waiting.StandardError.ReadLineAsync();
        Assert.StartsWith("kawal: waiting: the billing run of 2026-10 is running (started by cli:node2.operator", firstLine, StringComparison.Ordinal);
        Assert.False(waiting.HasExited);
        var listed = new StringWriter();
        Assert.Equal(0, await Kawal.Cli.KawalCli.RunAsync(["db", "leases", "--database", t.ConnectionText], listed, new StringWriter()));
        Assert.StartsWith($"billing 2026-10: the billing run of 2026-10, cli:node2.operator on {Leases.Host} (process {Environment.ProcessId}) since ", listed.ToString(), StringComparison.Ordinal);
        Assert.Contains(", held until ", listed.ToString(), StringComparison.Ordinal);
        await other.DisposeAsync();
        await waiting.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(0, waiting.ExitCode);
        Assert.Equal(1, await Count(t, "SELECT count(*) FROM billing_runs WHERE status = 'completed'"));
    }

    /// <summary>
    /// A run stalled past its lease's expiry, whose month another process then took: its next batch is refused inside its own
    /// transaction, so the two never both write; billed again, the month ends as one uninterrupted run.
    /// </summary>
    [EngineTheory]
    public async Task A_run_whose_lease_was_taken_over_stops_before_its_next_batch(Engine engine)
    {
        await using var t = await PopulatedAsync(engine, Rows);
        var expected = await ExpectedAsync(t, October);
        var runner = Runner(t);
        runner.BatchSize = Batch;
        var takenOver = 0;
        // After its tenth batch the run stalls; meanwhile its lease lapsed and a second node took the month over.
        var stall = new Pause(done =>
        {
            if (done >= 10 * Batch && takenOver++ == 0)
            {
                using var c = t.Database.OpenAsync().GetAwaiter().GetResult();
                Assert.Equal(1, c.Execute("UPDATE leases SET holder = 'other-node', host = 'node-2', pid = 1 WHERE kind = 'billing' AND scope = @p", new { p = October.ToString() }));
            }
        });

        var lost = await Assert.ThrowsAsync<LeaseLostException>(() => runner.RunAsync(new BillingRequest(October, null, Caller.Operator("billing")), stall, CancellationToken.None));
        Assert.Equal(1, takenOver);
        Assert.Contains("the last batch was not written", lost.Message, StringComparison.Ordinal);
        var lines = await Count(t, "SELECT count(*) FROM bill_lines");
        Assert.Equal(0, await Count(t, "SELECT count(*) FROM bill_lines WHERE membership_id > (SELECT cursor_id FROM billing_runs)"));
        Assert.Equal(1, await Count(t, "SELECT count(*) FROM leases WHERE holder = 'other-node'")); // the stopped run released nothing of the other's

        await using (var c = await t.Database.OpenAsync())
        {
            await c.ExecuteAsync("DELETE FROM leases"); // the other node finished (here: did nothing)
        }

        Assert.True(lines > 0);
        var resumed = await Bill(t, October, batch: Batch);
        Assert.True(resumed.Resumed);
        await AssertBilledOnceAsync(t, expected);
    }

    /// <summary>A progress report that the writer calls synchronously after each committed batch: the test acts in between.</summary>
    private sealed class Pause(Action<long> act) : IProgress<(long Done, long Total)>
    {
        private int calls;

        public Pause(Action firstBatch)
            : this(_ => { })
        {
            this.firstBatch = firstBatch;
        }

        private readonly Action? firstBatch;

        public void Report((long Done, long Total) value)
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                firstBatch?.Invoke();
            }

            act(value.Done);
        }
    }

    /// <summary>Every membership has one line for the month, and the month adds up to what the rules engine says.</summary>
    private static async Task AssertBilledOnceAsync(TestDatabase t, (long Employer, long Worker, long Government, int Memberships) expected)
    {
        Assert.Equal(0, await Count(t, "SELECT count(*) FROM (SELECT membership_id FROM bill_lines WHERE period = @p GROUP BY membership_id HAVING count(*) > 1) x", new { p = October.ToString() }));
        Assert.Equal(0, await Count(t, "SELECT count(*) FROM bills b WHERE amount <> (SELECT SUM(amount) FROM bill_lines l WHERE l.bill_id = b.id)"));
        var counted = await CountedFromLinesAsync(t, October, null);
        Assert.Equal((expected.Employer, expected.Worker, expected.Government, expected.Memberships), (counted.Employer, counted.Worker, counted.Government, counted.Memberships));
        Assert.Equal(0, await Count(t, "SELECT count(*) FROM billing_runs WHERE status = 'running'"));
    }
}
