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
    public static async Task RecomputeBillsAsync(DbConnection c, DbTransaction tx, ISqlDialect dialect, IReadOnlyCollection<long> billIds, CancellationToken ct)
    {
        if (billIds.Count == 0)
        {
            return;
        }

        await c.ExecuteAsync(new CommandDefinition(
            $"""
            UPDATE bills SET amount = s.a, employer_amount = s.e, worker_amount = s.w, government_amount = s.g, jp_amount = s.j, line_count = s.n
            FROM (SELECT bill_id, SUM(amount) AS a, SUM(employer_amount) AS e, SUM(worker_amount) AS w, SUM(government_amount) AS g, SUM(jp_amount) AS j, COUNT(*) AS n
                  FROM bill_lines WHERE {dialect.InList("bill_id", "@ids")} GROUP BY bill_id) s
            WHERE bills.id = s.bill_id
            """, new { ids = dialect.ListValue(billIds) }, tx, cancellationToken: ct));
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
        var filter = payerIds is null ? "1 = 1" : dialect.InList("payer_id", "@ids");
        var args = new { ids = payerIds is null ? null : dialect.ListValue(payerIds) };
        var sources = (await c.QueryAsync<Source>(new CommandDefinition(
            $"""
            SELECT NULL AS PaymentId, id AS CreditBillId, payer_id AS PayerId, -amount - paid AS Available, due_date AS PaidOn, NULL AS PreferredBill
            FROM bills WHERE amount < 0 AND -amount > paid AND {filter}
            UNION ALL
            SELECT id, NULL, payer_id, unallocated, paid_on, bill_id FROM payments WHERE unallocated > 0 AND {filter}
            """, args, tx, cancellationToken: ct))).ToList();
        if (sources.Count == 0)
        {
            return 0;
        }

        sources.ForEach(x => x.Left = x.Available);

        var payers = sources.Select(s => s.PayerId).Distinct().ToList();
        var open = (await c.QueryAsync<OpenBill>(new CommandDefinition(
            $"SELECT id AS Id, payer_id AS PayerId, amount AS Amount, paid AS Paid, due_date AS DueDate FROM bills WHERE amount > paid AND amount > 0 AND {dialect.InList("payer_id", "@payers")} ORDER BY due_date, id",
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
        foreach (var group in allocations.GroupBy(a => (long)a[2]!))
        {
            await c.ExecuteAsync(new CommandDefinition("UPDATE bills SET paid = paid + @amount WHERE id = @id", new { id = group.Key, amount = group.Sum(a => (long)a[3]!) }, tx, cancellationToken: ct));
        }

        foreach (var s in sources.Where(s => s.Left != s.Available))
        {
            var used = s.Available - s.Left;
            await c.ExecuteAsync(new CommandDefinition(
                s.PaymentId is { } p ? "UPDATE payments SET unallocated = unallocated - @used WHERE id = @p" : "UPDATE bills SET paid = paid + @used WHERE id = @b",
                new { used, p = s.PaymentId, b = s.CreditBillId }, tx, cancellationToken: ct));
        }

        return allocations.Count;
    }
}
