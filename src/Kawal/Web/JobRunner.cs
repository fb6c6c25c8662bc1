using System.Data.Common;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Kawal.Data;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Kawal.Web;

/// <summary>
/// The job runner's settings (<c>Kawal:Jobs:*</c>, docs/operations.md): whether this node takes part, the lease's life, how
/// often a standby node tries to take it, and when <c>/health/ready</c> calls the jobs unhealthy.
/// </summary>
public sealed record JobRunnerOptions(bool Enabled, TimeSpan LeaseTtl, TimeSpan Poll, TimeSpan? UnheldAfter, int FailuresUnhealthy)
{
    public const string Section = "Kawal:Jobs";

    public static JobRunnerOptions From(IConfiguration configuration)
    {
        var s = configuration.GetSection(Section);
        var unheld = s.GetValue<double?>("UnheldMinutes") ?? 5;
        return new(
            s.GetValue<bool?>("Enabled") ?? true,
            TimeSpan.FromSeconds(Math.Max(s.GetValue<double?>("LeaseSeconds") ?? 60, 0.3)),
            TimeSpan.FromSeconds(Math.Max(s.GetValue<double?>("PollSeconds") ?? 15, 0.1)),
            unheld > 0 ? TimeSpan.FromMinutes(unheld) : null,
            Math.Max(s.GetValue<int?>("FailuresUnhealthy") ?? 3, 0));
    }
}

/// <summary>
/// The job runs as the metrics show them (meter <c>Kawal</c>): <c>kawal.job.runs</c> by job and status,
/// <c>kawal.job.duration</c>, <c>kawal.job.rows</c>, and <c>kawal.job.leader</c> (1 on the node running the jobs).
/// </summary>
public sealed class JobMetrics
{
    public const string MeterName = "Kawal";

    /// <summary>The source of the job runs' traces (one span per run).</summary>
    public static readonly ActivitySource Source = new(MeterName);

    private readonly Counter<long> _runs;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _rows;

    public JobMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _runs = meter.CreateCounter<long>("kawal.job.runs", "{run}", "Background job runs, by job and status (ok, failed, interrupted, skipped, idle)");
        _duration = meter.CreateHistogram<double>("kawal.job.duration", "s", "How long background job runs took");
        _rows = meter.CreateCounter<long>("kawal.job.rows", "{row}", "Rows written by background job runs");
        meter.CreateObservableGauge("kawal.job.leader", () => Leading ? 1 : 0, "{node}", "1 while this node holds the job-runner lease and runs the jobs");
    }

    public bool Leading { get; set; }

    public void Ran(string job, string status, TimeSpan took, long rows)
    {
        var tags = new TagList { { "job", job }, { "status", status } };
        _runs.Add(1, tags);
        _duration.Record(took.TotalSeconds, tags);
        if (rows > 0)
        {
            _rows.Add(rows, new KeyValuePair<string, object?>("job", job));
        }
    }
}

/// <summary>
/// Runs the background jobs (every <see cref="IJob"/> registered) on one node at a time: the node holding the
/// <c>job-runner</c> lease (renewed by its heartbeat) runs each job on its schedule and records every run in
/// <c>job_runs</c>; the other nodes wait, trying every <see cref="JobRunnerOptions.Poll"/>. When the holder stops its lease
/// is released and another node takes over at its next try; when it dies the lease lapses after
/// <see cref="JobRunnerOptions.LeaseTtl"/> and the same happens. Runs the dead node left running are marked interrupted.
/// </summary>
public sealed partial class JobRunner(IEnumerable<IJob> jobs, Database db, JobRunnerOptions options, JobMetrics metrics, TimeProvider time, ILogger<JobRunner> log)
    : BackgroundService
{
    public static readonly LeaseRequest Request = new("job-runner", "all", "job-runner", "pekerjaan latar", "the background jobs");

    private readonly JobRuns _runs = new(db, time);

    /// <summary>Whether this node runs the jobs now.</summary>
    public bool Leading => metrics.Leading;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var active = jobs.Where(j => j.Every is { } e && e > TimeSpan.Zero).ToList();
        if (!options.Enabled || active.Count == 0)
        {
            return;
        }

        var leases = new Leases(db, time) { Ttl = options.LeaseTtl };
        var told = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using (var lease = await leases.AcquireAsync(Request, ct: stoppingToken))
                {
                    await LeadAsync(lease, active, stoppingToken);
                }

                told = false;
            }
            catch (LeaseHeldException e) when (e.Held is { } held)
            {
                if (!told)
                {
                    Standby(log, held.Host, held.Pid);
                    told = true;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is DbException or KawalException or TimeoutException or InvalidOperationException)
            {
                Unreachable(log, e); // the database is down or busy: try again
            }

            try
            {
                await Task.Delay(options.Poll, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private async Task LeadAsync(Lease lease, IReadOnlyList<IJob> active, CancellationToken stopping)
    {
        metrics.Leading = true;
        try
        {
            Leads(log, Leases.Host, string.Join(", ", active.Select(j => j.Name)));
            var orphans = await _runs.InterruptOrphansAsync(stopping);
            if (orphans > 0)
            {
                Orphans(log, orphans);
            }

            using var both = CancellationTokenSource.CreateLinkedTokenSource(stopping, lease.Lost);
            await Task.WhenAll(active.Select(j => LoopAsync(j, both.Token)));
            if (lease.Lost.IsCancellationRequested && !stopping.IsCancellationRequested)
            {
                LeaseLost(log);
            }
        }
        finally
        {
            metrics.Leading = false;
        }
    }

    private async Task LoopAsync(IJob job, CancellationToken ct)
    {
        try
        {
            await Task.Delay(job.FirstAfter, time, ct);
            using var timer = new PeriodicTimer(job.Every!.Value, time);
            do
            {
                await RunOnceAsync(job, ct);
            }
            while (await timer.WaitForNextTickAsync(ct));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // stopping, or the lease was lost
        }
    }

    /// <summary>One run of <paramref name="job"/>, recorded; never throws but for cancellation before it started.</summary>
    internal async Task RunOnceAsync(IJob job, CancellationToken ct)
    {
        using var activity = JobMetrics.Source.StartActivity("job " + job.Name);
        activity?.SetTag("kawal.job", job.Name);
        var started = time.GetTimestamp();
        long id;
        try
        {
            id = await _runs.StartAsync(job.Name, Leases.Host, ct);
        }
        catch (Exception e) when (e is DbException or KawalException or TimeoutException)
        {
            Unrecorded(log, job.Name, e);
            return;
        }

        var run = new JobRun(_runs, id, job.Name, r =>
        {
            Progress(log, r.Job, r.Rows, r.Message ?? "");
            return Task.CompletedTask;
        });
        string status;
        string? message = null;
        try
        {
            await job.RunAsync(run, ct);
            status = run.Outcome;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            (status, message) = (JobStatus.Interrupted, "stopped: the node shut down or lost the job-runner lease");
        }
#pragma warning disable CA1031 // any failure of a job is recorded as its run's and the runner goes on
        catch (Exception e)
        {
            (status, message) = (JobStatus.Failed, e.Message);
            Failed(log, job.Name, e);
        }
#pragma warning restore CA1031

        var took = time.GetElapsedTime(started);
        activity?.SetTag("kawal.job.status", status);
        if (status == JobStatus.Failed)
        {
            activity?.SetStatus(ActivityStatusCode.Error, message);
        }

        metrics.Ran(job.Name, status, took, run.Rows);
        if (status != JobStatus.Idle)
        {
            Finished(log, job.Name, status, run.Rows, took.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture));
        }

        try
        {
            await _runs.FinishAsync(id, job.Name, status, run.Rows, message ?? run.Message, CancellationToken.None);
        }
        catch (Exception e) when (e is DbException or KawalException or TimeoutException)
        {
            Unrecorded(log, job.Name, e); // left running: the next holder marks it interrupted
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "background jobs: {Host} holds the job-runner lease and runs {Jobs}")]
    private static partial void Leads(ILogger logger, string host, string jobs);

    [LoggerMessage(Level = LogLevel.Information, Message = "background jobs: standing by, {Host} (process {Pid}) runs them")]
    private static partial void Standby(ILogger logger, string host, int pid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "background jobs: {Count} run(s) left running by a node that stopped marked interrupted")]
    private static partial void Orphans(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "background jobs: the job-runner lease was lost (taken over after it lapsed); standing by")]
    private static partial void LeaseLost(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "background jobs: the database did not answer; trying again")]
    private static partial void Unreachable(ILogger logger, Exception e);

    [LoggerMessage(Level = LogLevel.Information, Message = "job {Job}: {Rows} rows so far; {Message}")]
    private static partial void Progress(ILogger logger, string job, long rows, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "job {Job}: {Status}, {Rows} rows in {Seconds} s")]
    private static partial void Finished(ILogger logger, string job, string status, long rows, string seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "job {Job} failed; it runs again at its next time")]
    private static partial void Failed(ILogger logger, string job, Exception e);

    [LoggerMessage(Level = LogLevel.Error, Message = "job {Job}: its run could not be recorded")]
    private static partial void Unrecorded(ILogger logger, string job, Exception e);
}

/// <summary>What <c>/health/ready</c> says of the background jobs.</summary>
public sealed record JobsHealth(string Status, string? Runner, DateTimeOffset? UnheldSince, IReadOnlyList<string> Failing);

/// <summary>
/// The jobs' part of readiness: unhealthy when no node has held the <c>job-runner</c> lease for longer than
/// <see cref="JobRunnerOptions.UnheldAfter"/> (no node runs the jobs), or when the last
/// <see cref="JobRunnerOptions.FailuresUnhealthy"/> runs of a job all failed. Since when the lease is unheld is its lapsed
/// expiry, or — once released — when this node first saw it free.
/// </summary>
public sealed class JobsHealthCheck(Database db, JobRunnerOptions options, TimeProvider time)
{
    private DateTimeOffset? _unheldSince;

    public async Task<JobsHealth> CheckAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var lease = (await new Leases(db, time).ListAsync(ct)).FirstOrDefault(l => l.Kind == JobRunner.Request.Kind && l.Scope == JobRunner.Request.Scope);
        string? runner = null;
        if (lease is not null && lease.Expires >= now)
        {
            (_unheldSince, runner) = (null, lease.Host);
        }
        else
        {
            _unheldSince = lease?.Expires ?? _unheldSince ?? now;
        }

        IReadOnlyList<string> failing = [];
        if (options.FailuresUnhealthy > 0)
        {
            failing = await new JobRuns(db, time).FailingAsync(options.FailuresUnhealthy, ct);
        }

        var unheld = options.UnheldAfter is { } after && _unheldSince is { } since && now - since > after;
        return new JobsHealth(unheld ? "no runner" : failing.Count > 0 ? "failing" : "ok", runner, _unheldSince, failing);
    }
}
