using System.Data.Common;
using System.Globalization;
using Dapper;
using Kawal.Data;
using Kawal.Identity;

namespace Kawal.Monev.Features;

public sealed record RefreshSummary(string From, string To, int Periods, long MemberRows, long LedgerRows, string RefreshedAt);

/// <summary>
/// Recomputes the summary tables the dashboards read (docs/indicators.md): for each month, active memberships at
/// its end (today for the current month) and memberships started in it, by regency/city, segment, category, payer,
/// sex and age band (<c>monev_members</c>); and the month's bills by region and payer kind (<c>monev_ledger</c>). One
/// transaction per month, so a reader sees a month either before or after its refresh, and a crash loses nothing.
/// </summary>
public sealed class SummaryRefresher(Database db, TimeProvider time)
{
    public static IReadOnlyList<string> AgeBands { get; } = ["<15", "15-24", "25-34", "35-44", "45-54", "55-64", "65+"];

    /// <summary>The first month any membership or bill concerns (or the current month on an empty database).</summary>
    public async Task<Period> EarliestAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var first = await c.ExecuteScalarAsync<DateOnly?>(new CommandDefinition("SELECT MIN(valid_from) FROM memberships", cancellationToken: ct));
        var bill = await c.ExecuteScalarAsync<string?>(new CommandDefinition("SELECT MIN(period) FROM bills", cancellationToken: ct));
        var today = Period.Of(time.Today());
        var p = first is { } f ? Period.Of(f) : today;
        if (bill is not null && Period.Parse(bill) < p)
        {
            p = Period.Parse(bill);
        }

        return p < today ? p : today;
    }

    /// <summary>
    /// The month a dashboard opens on when none is asked for: the last complete month (before the current one) whose
    /// summaries exist in <c>monev_refresh</c>; failing that, the latest refreshed month; failing that, the current month.
    /// </summary>
    public async Task<Period> DefaultPeriodAsync(CancellationToken ct = default)
    {
        var current = Period.Of(time.Today());
        await using var c = await db.OpenAsync(ct);
        var complete = await c.ExecuteScalarAsync<string?>(new CommandDefinition("SELECT MAX(period) FROM monev_refresh WHERE period < @current", new { current = current.ToString() }, cancellationToken: ct));
        if (complete is not null)
        {
            return Period.Parse(complete);
        }

        var any = await c.ExecuteScalarAsync<string?>(new CommandDefinition("SELECT MAX(period) FROM monev_refresh WHERE period <= @current", new { current = current.ToString() }, cancellationToken: ct));
        return any is null ? current : Period.Parse(any);
    }

    /// <summary>Months with no refresh yet, from the earliest data to now.</summary>
    public async Task<IReadOnlyList<Period>> MissingAsync(CancellationToken ct = default)
    {
        var from = await EarliestAsync(ct);
        await using var c = await db.OpenAsync(ct);
        var done = (await c.QueryAsync<string>(new CommandDefinition("SELECT period FROM monev_refresh", cancellationToken: ct))).ToHashSet(StringComparer.Ordinal);
        var list = new List<Period>();
        for (var p = from; p <= Period.Of(time.Today()); p = p.Next)
        {
            if (!done.Contains(p.ToString()))
            {
                list.Add(p);
            }
        }

        return list;
    }

    /// <summary>When a refresh is in progress (on any node), wait for it instead of refusing; <see cref="Waiting"/> is told once.</summary>
    public bool Wait { get; set; }

    public Action<LeaseHolding>? Waiting { get; set; }

    /// <summary>The lease a refresh holds: one at a time, whatever its months, on any node.</summary>
    public static LeaseRequest LeaseFor(Caller caller) => new("monev-refresh", "all", caller.Actor, "pembaruan ringkasan monev", "the monev summary refresh");

    public async Task<RefreshSummary> RefreshAsync(Period? from, Period? to, Caller caller, CancellationToken ct = default)
    {
        caller.Demand(Permission.MonevWrite);
        var today = time.Today();
        var current = Period.Of(today);
        var first = from ?? await EarliestAsync(ct);
        var last = to ?? current;
        if (last > current)
        {
            throw new UsageException($"to {last} is in the future; the latest month that can be refreshed is {current}", "to") { Indonesian = $"Bulan akhir {last} ada di masa depan; bulan terakhir yang dapat diperbarui adalah {current}." };
        }

        if (first > last)
        {
            throw new UsageException($"from {first} is after to {last}", "from") { Indonesian = $"Bulan awal {first} sesudah bulan akhir {last}; tukar keduanya." };
        }

        // One refresh at a time on any node (two would insert one month's rows twice). Its months are written side by side on
        // several connections, so the lease is not renewed inside them (that would make them take turns): a lease lost
        // to another node cancels the months not yet committed; each month is one transaction, rewritten whole next time.
        await using var lease = await new Leases(db, time).AcquireAsync(LeaseFor(caller), Wait, Waiting, ct);
        using var held = CancellationTokenSource.CreateLinkedTokenSource(ct, lease.Lost);
        try
        {
            return await RefreshHeldAsync(first, last, current, today, caller, held.Token);
        }
        catch (OperationCanceledException) when (lease.Lost.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            throw new LeaseLostException(lease.Request);
        }
    }

    private async Task<RefreshSummary> RefreshHeldAsync(Period first, Period last, Period current, DateOnly today, Caller caller, CancellationToken ct)
    {
        long members = 0, ledger = 0;
        var now = time.GetUtcNow();
        var months = Enumerable.Range(0, first.MonthsUntil(last) + 1).Select(first.AddMonths).ToList();
        // Each month is its own transaction over its own rows. On PostgreSQL, which runs an INSERT … SELECT on one core,
        // months are computed side by side on as many connections as the machine has cores (up to 4); SQLite has one writer.
        var parallel = db.Engine == Engine.Postgres ? Math.Clamp(Environment.ProcessorCount, 1, 4) : 1;
        await Parallel.ForEachAsync(months, new ParallelOptions { MaxDegreeOfParallelism = parallel, CancellationToken = ct }, async (p, token) =>
        {
            await using var mc = await db.OpenAsync(token);
            var (m, l) = await RefreshMonthAsync(mc, p, p == current ? today : p.LastDay, today, now, token);
            Interlocked.Add(ref members, m);
            Interlocked.Add(ref ledger, l);
        });
        await using var c = await db.OpenAsync(ct);

        await using (var tx = await c.BeginTransactionAsync(ct))
        {
            await AuditLog.AppendAsync(c, tx, caller, now, new AuditEvent("monev.refresh", "monev_summary", $"{first}..{last}",
                After: new { from = first.ToString(), to = last.ToString(), periods = months.Count, memberRows = members, ledgerRows = ledger }), ct);
            await tx.CommitAsync(ct);
        }

        return new RefreshSummary(first.ToString(), last.ToString(), months.Count, members, ledger, now.ToString("O", CultureInfo.InvariantCulture));
    }

    private static async Task<(int Members, int Ledger)> RefreshMonthAsync(DbConnection c, Period p, DateOnly day, DateOnly today, DateTimeOffset now, CancellationToken ct)
    {
        var period = p.ToString();
        // Age on `day` is at least N when born on or before day minus N years.
        var a = new DynamicParameters(new { period, day, first = p.FirstDay, last = p.LastDay, today, now });
        var bands = new[] { 15, 25, 35, 45, 55, 65 };
        for (var i = 0; i < bands.Length; i++)
        {
            a.Add("b" + bands[i].ToString(CultureInfo.InvariantCulture), day.AddYears(-bands[i]));
        }

        const string Age = """
            CASE WHEN p.birth_date > @b15 THEN '<15' WHEN p.birth_date > @b25 THEN '15-24' WHEN p.birth_date > @b35 THEN '25-34'
                 WHEN p.birth_date > @b45 THEN '35-44' WHEN p.birth_date > @b55 THEN '45-54' WHEN p.birth_date > @b65 THEN '55-64' ELSE '65+' END
            """;
        const string Covers = "(m.valid_from <= @day AND (m.valid_to IS NULL OR m.valid_to > @day))";
        const string NotSuspended = "(m.status <> 'inactive' OR EXISTS (SELECT 1 FROM arrears_suspensions s WHERE s.membership_id = m.id AND s.suspended_on > @day))";
        await using var tx = await c.BeginTransactionAsync(ct);
        await c.ExecuteAsync(new CommandDefinition("DELETE FROM monev_members WHERE period = @period", a, tx, commandTimeout: Database.JobTimeout, cancellationToken: ct));
        await c.ExecuteAsync(new CommandDefinition("DELETE FROM monev_ledger WHERE period = @period", a, tx, commandTimeout: Database.JobTimeout, cancellationToken: ct));
        var members = await c.ExecuteAsync(new CommandDefinition(
            $"""
            INSERT INTO monev_members (period, region_code, segment, category, payer_kind, sex, age_band, active, started)
            SELECT @period, m.region_code, m.segment, m.category, m.payer_kind, p.sex, {Age},
                   SUM(CASE WHEN {Covers} AND {NotSuspended} THEN 1 ELSE 0 END),
                   SUM(CASE WHEN m.valid_from >= @first AND m.valid_from <= @last THEN 1 ELSE 0 END)
            FROM memberships m JOIN participants p ON p.id = m.participant_id
            WHERE {Covers} OR (m.valid_from >= @first AND m.valid_from <= @last)
            GROUP BY m.region_code, m.segment, m.category, m.payer_kind, p.sex, {Age}
            """, a, tx, commandTimeout: Database.JobTimeout, cancellationToken: ct));
        var ledger = await c.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO monev_ledger (period, region_code, payer_kind, bills, billed, government, collected, overdue)
            SELECT @period, b.region_code, y.kind, COUNT(*), SUM(b.amount), SUM(b.government_amount), SUM(b.paid),
                   SUM(CASE WHEN b.due_date < @today THEN b.amount - b.paid ELSE 0 END)
            FROM bills b JOIN payers y ON y.id = b.payer_id
            WHERE b.period = @period AND b.amount > 0
            GROUP BY b.region_code, y.kind
            """, a, tx, commandTimeout: Database.JobTimeout, cancellationToken: ct));
        await c.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO monev_refresh (period, as_of, refreshed_at, member_rows, ledger_rows) VALUES (@period, @day, @now, @members, @ledger)
            ON CONFLICT (period) DO UPDATE SET as_of = excluded.as_of, refreshed_at = excluded.refreshed_at, member_rows = excluded.member_rows, ledger_rows = excluded.ledger_rows
            """, new { period, day, now, members, ledger }, tx, commandTimeout: Database.JobTimeout, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return (members, ledger);
    }
}
