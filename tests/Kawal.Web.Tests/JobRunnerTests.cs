using System.Diagnostics;
using System.Net;
using Dapper;
using Kawal.Data;
using Kawal.Identity;
using Kawal.Testing;
using Kawal.Web.Tests.Security;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Kawal.Web.Tests;

/// <summary>
/// The job runner: of several nodes on one database only the holder of the job-runner lease runs the jobs; another takes
/// over when it stops or dies; every run is recorded, and readiness reports a runner gone or a job failing.
/// </summary>
public class JobRunnerTests
{
    /// <summary>Short leases so that failover takes a second or two, not a minute.</summary>
    private static readonly Dictionary<string, string?> Fast = new()
    {
        ["Kawal:Jobs:LeaseSeconds"] = "1.5",
        ["Kawal:Jobs:PollSeconds"] = "0.2",
    };

    [EngineTheory]
    public async Task Only_one_of_two_nodes_runs_the_jobs_and_the_other_takes_over_when_it_stops(Engine engine)
    {
        await using var first = await KawalFactory.StartAsync(engine, Fast, s => s.AddSingleton<IJob>(new TestJob("tick")));
        var firstJob = TestJob.Of(first);
        await WaitAsync(() => firstJob.Runs >= 2, "the first node runs the job");

        var second = first.Sibling();
        var secondJob = TestJob.Of(second);
        var before = firstJob.Runs;
        await Task.Delay(TimeSpan.FromSeconds(2)); // longer than the lease: the first node keeps it by its heartbeat
        Assert.Equal(0, secondJob.Runs);
        Assert.True(firstJob.Runs > before);
        Assert.True(first.Services.GetRequiredService<JobRunner>().Leading);
        Assert.False(second.Services.GetRequiredService<JobRunner>().Leading);

        await first.Services.GetRequiredService<IHost>().StopAsync(); // the node stops: its lease is released
        var stopped = firstJob.Runs;
        await WaitAsync(() => secondJob.Runs >= 2, "the second node takes over");
        Assert.Equal(stopped, firstJob.Runs);

        var runs = await new JobRuns(first.Db.Database, TimeProvider.System).RecentAsync(1000, "tick");
        Assert.Equal(firstJob.Runs + secondJob.Runs, runs.Count(r => r.Status == JobStatus.Ok));
        Assert.All(runs.Where(r => r.Status == JobStatus.Ok), r => Assert.Equal(1, r.Rows));
        await second.DisposeAsync();
    }

    [EngineTheory]
    public async Task A_dead_nodes_lease_lapses_and_another_takes_over_marking_its_run_interrupted(Engine engine)
    {
        var db = await TestDatabase.MigratedAsync(engine);
        var now = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();
        await using (var c = await db.Database.OpenAsync())
        {
            // What a node killed mid-run leaves: its lease (another machine: only its expiry frees it) and its run.
            await c.ExecuteAsync(
                """
                INSERT INTO leases (kind, scope, holder, host, machine, pid, process_started_ms, actor, description, acquired_ms, expires_ms)
                VALUES ('job-runner', 'all', 'dead', 'node-gone', 'elsewhere', 1, 0, 'job-runner', 'the background jobs', @now, @expires)
                """, new { now, expires = now + 8000 });
            await c.ExecuteAsync("INSERT INTO job_runs (job, node, started_ms, updated_ms, status, row_count) VALUES ('tick', 'node-gone', @now, @now, 'running', 7)", new { now });
        }

        await using var app = new KawalFactory(db, Fast, s => s.AddSingleton<IJob>(new TestJob("tick")));
        var job = TestJob.Of(app);
        var (held, _, health) = await ApiTests.GetJson(app.CreateClient(), "/health/ready");
        Assert.Equal(HttpStatusCode.OK, held);
        Assert.Equal("node-gone", health.GetProperty("jobs").GetProperty("runner").GetString());
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(0, job.Runs); // still held by the dead node

        await WaitAsync(() => job.Runs >= 1, "the lease lapsed and this node took over");
        var runs = await new JobRuns(db.Database, TimeProvider.System).RecentAsync(10, "tick");
        var orphan = Assert.Single(runs, r => r.Node == "node-gone");
        Assert.Equal((JobStatus.Interrupted, 7L), (orphan.Status, orphan.Rows));
        var (_, _, after) = await ApiTests.GetJson(app.CreateClient(), "/health/ready");
        Assert.Equal(Leases.Host, after.GetProperty("jobs").GetProperty("runner").GetString());
    }

    [EngineTheory]
    public async Task A_failing_job_is_recorded_failed_and_readiness_is_503_once_it_failed_repeatedly(Engine engine)
    {
        var settings = new Dictionary<string, string?>(Fast) { ["Kawal:Jobs:FailuresUnhealthy"] = "2" };
        await using var app = await KawalFactory.StartAsync(engine, settings, s => s.AddSingleton<IJob>(new TestJob("broken", fail: true)));
        var job = TestJob.Of(app);
        var client = app.CreateClient();
        await WaitAsync(() => job.Runs >= 1, "the job ran");
        var runs = new JobRuns(app.Db.Database, TimeProvider.System);
        await WaitAsync(async () => (await runs.RecentAsync(10, "broken")).Count(r => r.Status == JobStatus.Failed) >= 2, "two failed runs recorded");

        var (status, _, body) = await ApiTests.GetJson(client, "/health/ready");
        var failed = (await runs.RecentAsync(10, "broken")).First(r => r.Status == JobStatus.Failed);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("degraded", body.GetProperty("status").GetString());
        Assert.Equal("failing", body.GetProperty("jobs").GetProperty("status").GetString());
        Assert.Equal("broken", Assert.Single(body.GetProperty("jobs").GetProperty("failing").EnumerateArray()).GetString());
        Assert.Equal("the job broke", failed.Message);
        Assert.NotNull(failed.Finished);
    }

    [EngineTheory]
    public async Task Readiness_is_503_when_no_node_has_run_the_jobs_for_longer_than_the_threshold(Engine engine)
    {
        var settings = new Dictionary<string, string?> { ["Kawal:Jobs:Enabled"] = "false", ["Kawal:Jobs:UnheldMinutes"] = "0.01" }; // 0.6 s
        await using var app = await KawalFactory.StartAsync(engine, settings);
        var client = app.CreateClient();

        var (first, _, _) = await ApiTests.GetJson(client, "/health/ready");
        await Task.Delay(TimeSpan.FromSeconds(1));
        var (later, _, body) = await ApiTests.GetJson(client, "/health/ready");

        Assert.Equal(HttpStatusCode.OK, first); // just noticed: no runner yet, within the threshold
        Assert.Equal(HttpStatusCode.ServiceUnavailable, later);
        Assert.Equal("no runner", body.GetProperty("jobs").GetProperty("status").GetString());
    }

    [EngineTheory]
    public async Task A_long_job_shows_its_progress_while_it_runs_on_the_admin_page(Engine engine)
    {
        var job = new TestJob("long", hold: true);
        await using var app = await KawalFactory.StartAsync(engine, Fast, s => s.AddSingleton<IJob>(job));
        _ = app.Services;
        var runs = new JobRuns(app.Db.Database, TimeProvider.System);
        await WaitAsync(async () => (await runs.RecentAsync(1, "long")) is [{ Status: JobStatus.Running, Rows: 5 }], "the run's progress recorded");

        using var admin = await FormsKeepInputTests.SignedInAsync(app, "admin.jobs", Role.Admin, null);
        var page = await admin.GetStringAsync(new Uri("/admin/pekerjaan", UriKind.Relative));
        job.Release.TrySetResult();
        await WaitAsync(async () => (await runs.RecentAsync(1, "long")) is [{ Status: JobStatus.Ok }], "the run finished");

        Assert.Contains("Pekerjaan latar", page, StringComparison.Ordinal);
        Assert.Contains("berjalan", page, StringComparison.Ordinal);
        Assert.Contains("halfway", page, StringComparison.Ordinal);
        Assert.Contains($"Dijalankan oleh node {Leases.Host}", page, StringComparison.Ordinal);
    }

    [EngineTheory]
    public async Task Metrics_are_served_to_the_allowed_networks_only_with_request_and_job_metrics(Engine engine)
    {
        var settings = new Dictionary<string, string?>(Fast) { ["Kawal:Metrics:AllowFrom"] = "10.9.0.0/16" };
        await using var app = await KawalFactory.StartAsync(engine, settings, s =>
        {
            s.AddSingleton<IJob>(new TestJob("tick"));
            TestPeer.Add(s);
        });
        var job = TestJob.Of(app);
        var client = app.CreateClient();
        for (var i = 0; i < 3; i++)
        {
            using var _ = await client.GetAsync(new Uri("/health/live", UriKind.Relative));
        }

        await WaitAsync(() => job.Runs >= 1, "the job ran");
        string text = "";
        await WaitAsync(async () =>
        {
            text = await ScrapeAsync(client, "10.9.1.1") is (HttpStatusCode.OK, var body) ? body : "";
            return text.Contains("kawal_job_runs_total", StringComparison.Ordinal);
        }, "the job metrics scraped");
        var (outside, _) = await ScrapeAsync(client, "192.0.2.7");

        Assert.Contains("http_server_request_duration_seconds_count", text, StringComparison.Ordinal);
        Assert.Contains("http_route=\"/health/live\"", text, StringComparison.Ordinal);
        Assert.Matches(new Regex("""kawal_job_runs_total\{(?=[^}]*job="tick")(?=[^}]*status="ok")[^}]*\} [1-9]"""), text);
        Assert.Matches(new Regex("""kawal_job_duration_seconds_bucket\{[^}]*job="tick"[,}]"""), text);
        Assert.Matches(new Regex("""kawal_job_rows_total\{[^}]*job="tick"[^}]*\} [1-9]"""), text);
        Assert.Matches(new Regex("""kawal_job_leader(\{[^}]*\})? 1"""), text);
        Assert.Equal(HttpStatusCode.NotFound, outside);
        if (engine == Engine.Postgres)
        {
            Assert.Contains("db_client_connection", text, StringComparison.Ordinal); // Npgsql's pool
        }
    }

    [Fact]
    public async Task Metrics_are_for_loopback_by_default_and_not_served_when_turned_off()
    {
        await using var app = await KawalFactory.StartAsync(Engine.Sqlite, services: TestPeer.Add);
        await using var off = await KawalFactory.StartAsync(Engine.Sqlite, new Dictionary<string, string?> { ["Kawal:Metrics:Enabled"] = "false" }, TestPeer.Add);

        var (loopback, _) = await ScrapeAsync(app.CreateClient(), "127.0.0.1");
        var (ipv6, _) = await ScrapeAsync(app.CreateClient(), "::1");
        var (remote, _) = await ScrapeAsync(app.CreateClient(), "10.0.0.5");
        var (turnedOff, _) = await ScrapeAsync(off.CreateClient(), "127.0.0.1");

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (loopback, ipv6));
        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (remote, turnedOff));
    }

    private static async Task<(HttpStatusCode, string)> ScrapeAsync(HttpClient client, string peer)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/metrics", UriKind.Relative));
        request.Headers.Add(TestPeer.Header, peer);
        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static Task WaitAsync(Func<bool> done, string what) => WaitAsync(() => Task.FromResult(done()), what);

    private static async Task WaitAsync(Func<Task<bool>> done, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await done())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"timed out waiting: {what}");
            await Task.Delay(100);
        }
    }

    /// <summary>A job every 0.2 s that writes one row, fails, or reports progress and waits to be released.</summary>
    private sealed class TestJob(string name, bool fail = false, bool hold = false) : IJob
    {
        private int _runs;

        public int Runs => Volatile.Read(ref _runs);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Name => name;

        public TimeSpan? Every => TimeSpan.FromMilliseconds(200);

        public TimeSpan FirstAfter => TimeSpan.Zero;

        public static TestJob Of(KawalFactory app) => app.Services.GetServices<IJob>().OfType<TestJob>().Single();

        public async Task RunAsync(JobRun run, CancellationToken ct)
        {
            Interlocked.Increment(ref _runs);
            if (fail)
            {
                throw new InvalidOperationException("the job broke");
            }

            await run.ProgressAsync(hold ? 5 : 1, hold ? "halfway" : null, ct);
            if (hold)
            {
                await Release.Task.WaitAsync(ct);
            }
        }
    }
}
