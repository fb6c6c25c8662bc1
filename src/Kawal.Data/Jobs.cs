using Dapper;

namespace Kawal.Data;

/// <summary>
/// A periodic background job. The job runner of <c>kawal serve</c> runs every registered job on one node at a time — the
/// node holding the <c>job-runner</c> lease — first <see cref="FirstAfter"/> after it took the lease, then every
/// <see cref="Every"/>; each run is recorded in <c>job_runs</c> (<see cref="JobRuns"/>).
/// </summary>
public interface IJob
{
    /// <summary>The job's name in <c>job_runs</c>, logs and metrics: <c>monev-refresh</c>, <c>audit-checkpoint</c>.</summary>
    string Name { get; }

    /// <summary>How often it runs; null when it is turned off on this installation.</summary>
    TimeSpan? Every { get; }

    /// <summary>How long after the runner took the lease the first run starts.</summary>
    TimeSpan FirstAfter { get; }

    /// <summary>One run. Throwing marks the run failed; <paramref name="run"/> takes its progress and outcome.</summary>
    Task RunAsync(JobRun run, CancellationToken ct);
}

/// <summary>How a run ended (<c>job_runs.status</c>); <see cref="Running"/> while it runs.</summary>
public static class JobStatus
{
    public const string Running = "running";
    public const string Ok = "ok";
    public const string Failed = "failed";

    /// <summary>Stopped before it finished: its node shut down, lost the lease, or died (marked by the next holder).</summary>
    public const string Interrupted = "interrupted";

    /// <summary>Not done this time: the same work was running elsewhere (a command holding its own lease).</summary>
    public const string Skipped = "skipped";

    /// <summary>Nothing to do: counted in the metrics, not kept in <c>job_runs</c>.</summary>
    public const string Idle = "idle";
}

/// <summary>A row of <c>job_runs</c>.</summary>
public sealed record JobRunInfo(long Id, string Job, string Node, DateTimeOffset Started, DateTimeOffset Updated, DateTimeOffset? Finished, string Status, long Rows, string? Message)
{
    public TimeSpan? Duration => Finished - Started;
}

/// <summary>
/// The run under way, handed to <see cref="IJob.RunAsync"/>: <see cref="ProgressAsync"/> writes its progress to its row
/// (and, through the runner, to the log and metrics); <see cref="Skip"/> and <see cref="Idle"/> set how it ended.
/// </summary>
public sealed class JobRun(JobRuns runs, long id, string job, Func<JobRun, Task>? progressed = null)
{
    public long Id => id;

    public string Job => job;

    /// <summary>Rows (or items) the run wrote so far.</summary>
    public long Rows { get; private set; }

    /// <summary>What the run says about itself: the last progress note, or why it was skipped.</summary>
    public string? Message { get; private set; }

    /// <summary><see cref="JobStatus.Ok"/> unless the job said otherwise.</summary>
    public string Outcome { get; private set; } = JobStatus.Ok;

    public async Task ProgressAsync(long rows, string? message, CancellationToken ct)
    {
        (Rows, Message) = (rows, message);
        await runs.ProgressAsync(id, rows, message, ct);
        if (progressed is not null)
        {
            await progressed(this);
        }
    }

    /// <summary>The run did not do its work this time, for <paramref name="reason"/> (not a failure).</summary>
    public void Skip(string reason) => (Outcome, Message) = (JobStatus.Skipped, reason);

    /// <summary>The run found nothing to do: its row is not kept.</summary>
    public void Idle() => Outcome = JobStatus.Idle;
}

/// <summary>
/// The <c>job_runs</c> table: written by the job runner, read by the admin page (<c>/admin/pekerjaan</c>) and
/// <c>/health/ready</c>. Keeps the last <see cref="Keep"/> runs of each job.
/// </summary>
public sealed class JobRuns(Database db, TimeProvider time)
{
    public const int Keep = 200;

    private long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

    public async Task<long> StartAsync(string job, string node, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO job_runs (job, node, started_ms, updated_ms, status, row_count)
            VALUES (@job, @node, @now, @now, @status, 0) RETURNING id
            """, new { job, node, now = Now, status = JobStatus.Running }, cancellationToken: ct));
    }

    public async Task ProgressAsync(long id, long rows, string? message, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE job_runs SET row_count = @rows, message = @message, updated_ms = @now WHERE id = @id",
            new { id, rows, message, now = Now }, cancellationToken: ct));
    }

    /// <summary>Ends the run with <paramref name="status"/>; an idle run's row is removed, and old runs of the job pruned.</summary>
    public async Task FinishAsync(long id, string job, string status, long rows, string? message, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        if (status == JobStatus.Idle)
        {
            await c.ExecuteAsync(new CommandDefinition("DELETE FROM job_runs WHERE id = @id", new { id }, cancellationToken: ct));
            return;
        }

        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE job_runs SET status = @status, row_count = @rows, message = @message, updated_ms = @now, finished_ms = @now WHERE id = @id",
            new { id, status, rows, message, now = Now }, cancellationToken: ct));
        await c.ExecuteAsync(new CommandDefinition(
            $"DELETE FROM job_runs WHERE job = @job AND id < (SELECT id FROM job_runs WHERE job = @job ORDER BY id DESC LIMIT 1 OFFSET {Keep - 1})",
            new { job }, cancellationToken: ct));
    }

    /// <summary>
    /// Marks the runs still <see cref="JobStatus.Running"/> interrupted: called by a runner that just took the lease, when
    /// no other node can be running a job — those runs' node stopped or died before finishing them.
    /// </summary>
    public async Task<int> InterruptOrphansAsync(CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteAsync(new CommandDefinition(
            "UPDATE job_runs SET status = @interrupted, finished_ms = updated_ms, message = COALESCE(message, @why) WHERE status = @running",
            new { interrupted = JobStatus.Interrupted, running = JobStatus.Running, why = "its node stopped before the run finished" }, cancellationToken: ct));
    }

    /// <summary>The latest runs, newest first; of one job when <paramref name="job"/> is given.</summary>
    public async Task<IReadOnlyList<JobRunInfo>> RecentAsync(int limit, string? job = null, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<Row>(new CommandDefinition(
            $"""
            SELECT id AS Id, job AS Job, node AS Node, started_ms AS StartedMs, updated_ms AS UpdatedMs, finished_ms AS FinishedMs, status AS Status,
                   row_count AS RowCount, message AS Message
            FROM job_runs {(job is null ? "" : "WHERE job = @job")} ORDER BY id DESC LIMIT @limit
            """, new { job, limit }, cancellationToken: ct));
        return rows.Select(r => r.Info).ToList();
    }

    /// <summary>The jobs whose last <paramref name="times"/> finished runs all failed.</summary>
    public async Task<IReadOnlyList<string>> FailingAsync(int times, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<string>(new CommandDefinition(
            """
            SELECT job FROM (
                SELECT job, status, ROW_NUMBER() OVER (PARTITION BY job ORDER BY id DESC) AS n FROM job_runs WHERE status <> @running) r
            WHERE n <= @times GROUP BY job
            HAVING COUNT(*) = @times AND SUM(CASE WHEN status = @failed THEN 1 ELSE 0 END) = @times
            ORDER BY job
            """, new { times, running = JobStatus.Running, failed = JobStatus.Failed }, cancellationToken: ct))).ToList();
    }

    private sealed class Row
    {
        public long Id { get; set; }
        public string Job { get; set; } = "";
        public string Node { get; set; } = "";
        public long StartedMs { get; set; }
        public long UpdatedMs { get; set; }
        public long? FinishedMs { get; set; }
        public string Status { get; set; } = "";
        public long RowCount { get; set; }
        public string? Message { get; set; }

        public JobRunInfo Info => new(Id, Job, Node, DateTimeOffset.FromUnixTimeMilliseconds(StartedMs), DateTimeOffset.FromUnixTimeMilliseconds(UpdatedMs),
            FinishedMs is { } f ? DateTimeOffset.FromUnixTimeMilliseconds(f) : null, Status, RowCount, Message);
    }
}
