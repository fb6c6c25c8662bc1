using System.Data.Common;
using Dapper;
using Kawal.Data;
using Kawal.Identity;
using Kawal.Rules;

namespace Kawal.Contributions.Features;

/// <summary>
/// The non-aktif rule (<c>arrears.inactive.months</c>, docs/contributions.md): a membership with a line on a bill that is
/// unpaid more than that many months after its due date becomes inactive; once no such bill is left it is active
/// again. Only memberships this rule suspended are reactivated (they are listed in <c>arrears_suspensions</c>); each
/// change is written to the membership's history and audited.
/// </summary>
internal static class ArrearsStatus
{
    public static int Months(DateOnly asOf) => (int)ParameterCatalogue.Default.Value("arrears.inactive.months", asOf);

    public static DateOnly Cutoff(DateOnly asOf) => asOf.AddMonths(-Months(asOf));

    public static async Task<(int Suspended, int Reactivated)> RefreshAsync(DbConnection c, ISqlDialect dialect, DateOnly asOf, Caller caller, DateTimeOffset now, CancellationToken ct,
        long? payerId = null)
    {
        var months = Months(asOf);
        var cutoff = asOf.AddMonths(-months);
        var payerFilter = payerId is null ? "1 = 1" : "b.payer_id = @payerId";
        const string Overdue = "b.amount > 0 AND b.paid < b.amount AND b.due_date < @cutoff";
        await using var tx = await c.BeginTransactionAsync(ct);
        // From the overdue bills (the open-bills index) to their lines: SQLite otherwise scanned every line of every month
        // in membership order for its GROUP BY (its CROSS JOIN keeps the order written; PostgreSQL plans it as any join).
        var suspend = (await c.QueryAsync<(long Id, DateOnly OldestDue)>(new CommandDefinition(
            $"""
            SELECT l.membership_id, MIN(b.due_date) FROM bills b CROSS JOIN bill_lines l JOIN memberships m ON m.id = l.membership_id
            WHERE l.bill_id = b.id AND {Overdue} AND m.status = 'active' AND {payerFilter}
            GROUP BY l.membership_id
            """, new { cutoff, payerId }, tx, commandTimeout: Database.JobTimeout, cancellationToken: ct))).ToList();
        var reactivate = (await c.QueryAsync<long>(new CommandDefinition(
            $"""
            SELECT s.membership_id FROM arrears_suspensions s
            WHERE {(payerId is null ? "1 = 1" : "EXISTS (SELECT 1 FROM bill_lines l JOIN bills b ON b.id = l.bill_id WHERE l.membership_id = s.membership_id AND b.payer_id = @payerId)")}
              AND NOT EXISTS (SELECT 1 FROM bill_lines l JOIN bills b ON b.id = l.bill_id WHERE l.membership_id = s.membership_id AND {Overdue})
            """, new { cutoff, payerId }, tx, commandTimeout: Database.JobTimeout, cancellationToken: ct))).ToList();
        if (suspend.Count == 0 && reactivate.Count == 0)
        {
            await tx.RollbackAsync(ct);
            return (0, 0);
        }

        if (suspend.Count > 0)
        {
            var ids = dialect.ListValue(suspend.Select(s => s.Id).ToList());
            await MultiRow.InsertAsync(c, tx, "arrears_suspensions", ["membership_id", "suspended_on", "oldest_due"],
                suspend.Select(s => new object?[] { s.Id, s.OldestDue.AddMonths(months), s.OldestDue }).ToList(), ct);
            await History(c, tx, suspend.Select(s => s.Id).ToList(), "active", "inactive", caller, now, ct);
            await c.ExecuteAsync(new CommandDefinition($"UPDATE memberships SET status = 'inactive', updated_at = @now WHERE {dialect.InList("id", "@ids")}", new { ids, now }, tx, commandTimeout: Database.JobTimeout, cancellationToken: ct));
        }

        if (reactivate.Count > 0)
        {
            var ids = dialect.ListValue(reactivate);
            var back = (await c.QueryAsync<long>(new CommandDefinition(
                $"SELECT id FROM memberships WHERE status = 'inactive' AND {dialect.InList("id", "@ids")}", new { ids }, tx, commandTimeout: Database.JobTimeout, cancellationToken: ct))).ToList();
            await History(c, tx, back, "inactive", "active", caller, now, ct);
            await c.ExecuteAsync(new CommandDefinition($"UPDATE memberships SET status = 'active', updated_at = @now WHERE status = 'inactive' AND {dialect.InList("id", "@ids")}", new { ids, now }, tx, commandTimeout: Database.JobTimeout, cancellationToken: ct));
            await c.ExecuteAsync(new CommandDefinition($"DELETE FROM arrears_suspensions WHERE {dialect.InList("membership_id", "@ids")}", new { ids }, tx, commandTimeout: Database.JobTimeout, cancellationToken: ct));
        }

        await AuditLog.AppendAsync(c, tx, caller, now, new AuditEvent("arrears.status", "memberships", null, After: new
        {
            asOf = asOf.ToIso(), cutoff = cutoff.ToIso(), suspended = suspend.Count, reactivated = reactivate.Count,
            suspendedIds = suspend.Take(50).Select(s => s.Id), reactivatedIds = reactivate.Take(50),
        }), ct);
        await tx.CommitAsync(ct);
        return (suspend.Count, reactivate.Count);
    }

    private static async Task History(DbConnection c, DbTransaction tx, List<long> ids, string from, string to, Caller caller, DateTimeOffset now, CancellationToken ct)
    {
        await MultiRow.InsertAsync(c, tx, "membership_history", ["membership_id", "changed_at", "changed_by", "change", "old_value", "new_value"],
            ids.Select(id => new object?[] { id, now, caller.Actor, "status", from, to }).ToList(), ct);
    }
}
