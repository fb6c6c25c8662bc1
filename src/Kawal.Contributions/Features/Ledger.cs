using System.Data.Common;
using Dapper;
using Kawal.Data;

namespace Kawal.Contributions.Features;

/// <summary>
/// The ledger's invariants, kept in the transaction that changes it: a bill's amounts are the sums of its lines; an
/// allocation moves money from a payment (or a credit note) to an open bill; a bill's <c>paid</c> is the sum of the
/// allocations to it and never exceeds its amount; a payment's <c>unallocated</c> is its amount less what it allocated.
/// </summary>
internal static class Ledger
{
    /// <summary>A bill's change from the lines a batch adds to it.</summary>
    public readonly record struct BillDelta(long BillId, long Amount, long Employer, long Worker, long Government, long Jp, int Lines);

    /// <summary>
    /// Adds a batch's lines to their bills' totals, in the batch's transaction (so a bill always equals the sum of its
    /// committed lines), then runs <paramref name="then"/> (a statement of the caller's, with its own parameters) if given.
    /// PostgreSQL: one statement over arrays, sent with the caller's in one round trip; SQLite: one prepared statement per
    /// bill, in-process.
    /// </summary>
    public static async Task AddToBillsAsync(DbConnection c, DbTransaction tx, ISqlDialect dialect, IReadOnlyList<BillDelta> deltas, CancellationToken ct,
        (string Sql, object Args)? then = null)
    {
        if (dialect.Engine == Engine.Postgres)
        {
            var args = new DynamicParameters();
            var sql = new List<string>(2);
            if (deltas.Count > 0)
            {
                sql.Add("""
                    UPDATE bills b SET amount = b.amount + d.a, employer_amount = b.employer_amount + d.e, worker_amount = b.worker_amount + d.w,
                           government_amount = b.government_amount + d.g, jp_amount = b.jp_amount + d.j, line_count = b.line_count + d.n
                    FROM unnest(@ids, @a, @e, @w, @g, @j, @n) AS d(id, a, e, w, g, j, n) WHERE b.id = d.id
                    """);
                args.AddDynamicParams(new
                {
                    ids = deltas.Select(d => d.BillId).ToArray(), a = deltas.Select(d => d.Amount).ToArray(), e = deltas.Select(d => d.Employer).ToArray(),
                    w = deltas.Select(d => d.Worker).ToArray(), g = deltas.Select(d => d.Government).ToArray(), j = deltas.Select(d => d.Jp).ToArray(),
                    n = deltas.Select(d => d.Lines).ToArray(),
                });
            }

            if (then is { } next)
            {
                sql.Add(next.Sql);
                args.AddDynamicParams(next.Args);
            }

            if (sql.Count > 0)
            {
                await c.ExecuteAsync(new CommandDefinition(string.Join(";\n", sql), args, tx, cancellationToken: ct));
            }

            return;
        }

        if (deltas.Count > 0)
        {
            await c.ExecuteAsync(new CommandDefinition(
                """
                UPDATE bills SET amount = amount + @Amount, employer_amount = employer_amount + @Employer, worker_amount = worker_amount + @Worker,
                       government_amount = government_amount + @Government, jp_amount = jp_amount + @Jp, line_count = line_count + @Lines
                WHERE id = @BillId
                """, deltas, tx, cancellationToken: ct));
        }

        if (then is { } after)
        {
            await c.ExecuteAsync(new CommandDefinition(after.Sql, after.Args, tx, cancellationToken: ct));
        }
    }

    /// <summary>
    /// Adds an amount to one column of many rows: PostgreSQL one statement over arrays (a round trip per row was most of a
    /// bank statement's time), SQLite one prepared statement per row, in-process.
    /// </summary>
    private static async Task AddToColumnAsync(DbConnection c, DbTransaction tx, ISqlDialect dialect, string table, string column, IReadOnlyList<(long Id, long Amount)> deltas, CancellationToken ct)
    {
        if (deltas.Count == 0)
        {
            return;
        }

        if (dialect.Engine == Engine.Postgres)
        {
            await c.ExecuteAsync(new CommandDefinition(
                $"UPDATE {table} t SET {column} = t.{column} + d.amount FROM unnest(@ids, @amounts) AS d(id, amount) WHERE t.id = d.id",
                new { ids = deltas.Select(d => d.Id).ToArray(), amounts = deltas.Select(d => d.Amount).ToArray() }, tx, cancellationToken: ct));
            return;
        }

        await c.ExecuteAsync(new CommandDefinition($"UPDATE {table} SET {column} = {column} + @Amount WHERE id = @Id",
            deltas.Select(d => new { d.Id, d.Amount }), tx, cancellationToken: ct));
    }

    private sealed class OpenBill
    {
        public long Id { get; set; }
        public long PayerId { get; set; }
        public long Amount { get; set; }
        public long Paid { get; set; }
        public DateOnly DueDate { get; set; }
        public long Open { get; set; }
    }

    private sealed class Source
    {
        public long? PaymentId { get; set; }
        public long? CreditBillId { get; set; }
        public long PayerId { get; set; }
        public long Available { get; set; }
        public DateOnly PaidOn { get; set; }
        public long? PreferredBill { get; set; }
        public long Left { get; set; }
    }

    /// <summary>
    /// Applies every payer's unallocated money (credit notes first, then payments, oldest first) to its open bills:
    /// a payment's named bill first, then the oldest due. <paramref name="payerIds"/> null: every payer with credit.
    /// </summary>
    public static async Task<int> ApplyCreditsAsync(DbConnection c, DbTransaction tx, ISqlDialect dialect, IReadOnlyCollection<long>? payerIds, CancellationToken ct)
    {
        // The named payers' rows are found through the payer indexes, one probe per payer (FromKeys).
        string Of(string table) => payerIds is null ? table : dialect.FromKeys(table, "payer_id", "@ids");
        var args = new { ids = payerIds is null ? null : dialect.ListValue(payerIds) };
        var sources = (await c.QueryAsync<Source>(new CommandDefinition(
            $"""
            SELECT NULL AS PaymentId, id AS CreditBillId, payer_id AS PayerId, -amount - paid AS Available, due_date AS PaidOn, NULL AS PreferredBill
            FROM {Of("bills")} WHERE amount < 0 AND -amount > paid
            UNION ALL
            SELECT id, NULL, payer_id, unallocated, paid_on, bill_id FROM {Of("payments")} WHERE unallocated > 0
            """, args, tx, cancellationToken: ct))).ToList();
        if (sources.Count == 0)
        {
            return 0;
        }

        sources.ForEach(x => x.Left = x.Available);

        var payers = sources.Select(s => s.PayerId).Distinct().ToList();
        var open = (await c.QueryAsync<OpenBill>(new CommandDefinition(
            $"SELECT id AS Id, payer_id AS PayerId, amount AS Amount, paid AS Paid, due_date AS DueDate FROM {dialect.FromKeys("bills", "payer_id", "@payers")} WHERE amount > paid AND amount > 0 ORDER BY due_date, id",
            new { payers = dialect.ListValue(payers) }, tx, cancellationToken: ct))).Select(b => { b.Open = b.Amount - b.Paid; return b; }).ToList().ToLookup(b => b.PayerId);
        var allocations = new List<object?[]>();
        foreach (var source in sources.OrderBy(s => s.PaymentId is null ? 0 : 1).ThenBy(s => s.PaidOn).ThenBy(s => s.PaymentId ?? s.CreditBillId))
        {
            var bills = open[source.PayerId].OrderBy(b => b.Id == source.PreferredBill ? 0 : 1).ThenBy(b => b.DueDate).ThenBy(b => b.Id);
            foreach (var bill in bills)
            {
                if (source.Left == 0)
                {
                    break;
                }

                var amount = Math.Min(source.Left, bill.Open);
                if (amount <= 0)
                {
                    continue;
                }

                allocations.Add([source.PaymentId, source.CreditBillId, bill.Id, amount, source.PaidOn]);
                bill.Open -= amount;
                source.Left -= amount;
            }
        }

        if (allocations.Count == 0)
        {
            return 0;
        }

        await MultiRow.InsertAsync(c, tx, "allocations", ["payment_id", "credit_bill_id", "bill_id", "amount", "paid_on"], allocations, ct);
        var used = sources.Where(s => s.Left != s.Available).ToList();
        var paid = allocations.Select(a => (Id: (long)a[2]!, Amount: (long)a[3]!))
            .Concat(used.Where(s => s.CreditBillId is not null).Select(s => (Id: s.CreditBillId!.Value, Amount: s.Available - s.Left)))
            .GroupBy(x => x.Id).Select(g => (g.Key, g.Sum(x => x.Amount))).ToList();
        await AddToColumnAsync(c, tx, dialect, "bills", "paid", paid, ct);
        await AddToColumnAsync(c, tx, dialect, "payments", "unallocated",
            used.Where(s => s.PaymentId is not null).Select(s => (s.PaymentId!.Value, -(s.Available - s.Left))).ToList(), ct);
        return allocations.Count;
    }
}
