using System.Globalization;
using Dapper;
using Kawal.Data;
using Kawal.Identity;
using Kawal.Rules.Benefits;

namespace Kawal.Claims.Features;

public sealed record PensionRunSummary(string Period, int Pensions, int JkpInstalments, int Scholarships, int Created, int AlreadyPaid, long Amount, IReadOnlyList<string> Problems);

/// <summary>
/// <c>kawal pensions run --period YYYY-MM</c>: pays every recurring benefit due up to the month — JP monthly pensions
/// (from the month after the event, indexed at each anniversary), JKP instalments (the month after termination onwards)
/// and scheduled scholarships — of approved or paid claims. Each payment has a key (claim, kind, sequence), so a second
/// run, or a run after an interrupted one, pays nothing twice; each claim is one transaction.
/// </summary>
public sealed class PensionRunner(Database db, TimeProvider time)
{
    /// <summary>When a pension run is in progress (on any node), wait for it instead of refusing; <see cref="Waiting"/> is told once.</summary>
    public bool Wait { get; set; }

    public Action<LeaseHolding>? Waiting { get; set; }
    private sealed class Recurring
    {
        public long Id { get; set; }
        public string Number { get; set; } = "";
        public string Programme { get; set; } = "";
        public DateOnly EventDate { get; set; }
        public string Status { get; set; } = "";
        public string Benefit { get; set; } = "";
        public string RegionCode { get; set; } = "";
        public string? BankAccount { get; set; }
    }

    private sealed class DueScholarship
    {
        public long Id { get; set; }
        public long ClaimId { get; set; }
        public long HeirSeq { get; set; }
        public long YearIndex { get; set; }
        public string DuePeriod { get; set; } = "";
        public long Amount { get; set; }
        public string Programme { get; set; } = "";
        public string RegionCode { get; set; } = "";
        public string? BankAccount { get; set; }
    }

    private static readonly string[] PaymentColumns = ["claim_id", "kind", "seq", "period", "heir_seq", "amount", "reference", "bank_account", "paid_on", "paid_by", "programme", "region_code", "created_at"];

    public async Task<PensionRunSummary> RunAsync(Period period, Caller caller, CancellationToken ct = default)
    {
        caller.Demand(Permission.ClaimsApprove);
        var today = time.Today();
        if (period > Period.Of(today))
        {
            throw new UsageException($"period {period} has not begun yet (today is {today.ToIso()})", "period") { Indonesian = $"Periode {period} belum dimulai (hari ini {today.ToIso()})." };
        }

        // One pension run at a time, of any month (each pays everything due up to its month), on any node; each claim's
        // transaction renews the lease (the fence).
        await using var lease = await new Leases(db, time).AcquireAsync(new LeaseRequest("pensions", "all", caller.Actor,
            $"pembayaran manfaat berkala {period}", $"the pension run of {period}"), Wait, Waiting, ct);
        var now = time.GetUtcNow();
        await using var c = await db.OpenAsync(ct);
        long runId;
        await using (var tx = await c.BeginTransactionAsync(ct))
        {
            runId = await c.ExecuteScalarAsync<long>(new CommandDefinition(
                "INSERT INTO pension_runs (period, started_by, started_at) VALUES (@p, @actor, @now) RETURNING id", new { p = period.ToString(), actor = caller.Actor, now }, tx, cancellationToken: ct));
            await tx.CommitAsync(ct);
        }

        var claims = (await c.QueryAsync<Recurring>(new CommandDefinition(
            $"""
            SELECT id AS Id, claim_number AS Number, programme AS Programme, event_date AS EventDate, status AS Status, benefit AS Benefit, region_code AS RegionCode, bank_account AS BankAccount
            FROM claims WHERE status IN ('approved', 'paid') AND programme IN ('JP', 'JKP') AND benefit IS NOT NULL AND {caller.Scope.Sql("region_code")}
            ORDER BY id
            """, new { ScopeRegion = caller.Scope.Parameter }, commandTimeout: Database.JobTimeout, cancellationToken: ct))).ToList();
        int pensions = 0, jkp = 0, scholarships = 0, created = 0, already = 0;
        long amount = 0;
        var problems = new List<string>();
        foreach (var k in claims)
        {
            var benefit = Json.Read<BenefitDto>(k.Benefit);
            var due = new List<(string Kind, int Seq, Period Period, long Amount)>();
            try
            {
                if (k.Programme == "JP" && benefit.Monthly is { } monthly && monthly > 0)
                {
                    var start = Period.Of(k.EventDate).Next;
                    for (var m = start; m <= period; m = m.Next)
                    {
                        due.Add(("pension", start.MonthsUntil(m) + 1, m, Savings.IndexedPension(monthly, start, m)));
                    }
                }
                else if (k.Programme == "JKP")
                {
                    due.AddRange(benefit.Schedule.Where(s => Period.Parse(s.Due) <= period).Select(s => ("jkp", s.Seq, Period.Parse(s.Due), s.Amount)));
                }
            }
            catch (UsageException x)
            {
                problems.Add($"{k.Number}: {x.Message}");
                continue;
            }

            if (due.Count == 0)
            {
                continue;
            }

            await using var tx = await c.BeginTransactionAsync(ct);
            await lease.FenceAsync(c, tx, ct);
            var paid = (await c.QueryAsync<(string Kind, long Seq)>(new CommandDefinition("SELECT kind, seq FROM claim_payments WHERE claim_id = @Id", new { k.Id }, tx, cancellationToken: ct)))
                .ToHashSet();
            var rows = due.Where(d => !paid.Contains((d.Kind, d.Seq)) && d.Amount > 0).Select(d => new object?[]
            {
                k.Id, d.Kind, d.Seq, d.Period.ToString(), null, d.Amount, $"RUN-{k.Number}-{d.Kind}-{d.Seq.ToString(CultureInfo.InvariantCulture)}", k.BankAccount, d.Period.FirstDay,
                caller.Actor, k.Programme, k.RegionCode, now,
            }).ToList();
            already += due.Count - rows.Count;
            if (rows.Count > 0)
            {
                await MultiRow.InsertAsync(c, tx, "claim_payments", PaymentColumns, rows, ct);
                if (k.Status == "approved")
                {
                    await c.ExecuteAsync(new CommandDefinition("UPDATE claims SET status = 'paid', paid_at = @now, updated_at = @now WHERE id = @Id", new { now, k.Id }, tx, cancellationToken: ct));
                }

                created += rows.Count;
                amount += rows.Sum(r => (long)r[5]!);
                if (k.Programme == "JP")
                {
                    pensions += rows.Count;
                }
                else
                {
                    jkp += rows.Count;
                }
            }

            await tx.CommitAsync(ct);
        }

        // Scholarships: a scheduled year whose month has come, of a claim approved or paid.
        var dueScholarships = (await c.QueryAsync<DueScholarship>(new CommandDefinition(
            $"""
            SELECT s.id AS Id, s.claim_id AS ClaimId, s.heir_seq AS HeirSeq, s.year_index AS YearIndex, s.due_period AS DuePeriod, s.amount AS Amount, k.programme AS Programme,
                   k.region_code AS RegionCode, h.bank_account AS BankAccount
            FROM claim_scholarships s JOIN claims k ON k.id = s.claim_id LEFT JOIN claim_heirs h ON h.claim_id = s.claim_id AND h.seq = s.heir_seq
            WHERE s.status = 'scheduled' AND s.due_period <= @p AND k.status IN ('approved', 'paid') AND {caller.Scope.Sql("k.region_code")}
            ORDER BY s.claim_id, s.heir_seq, s.year_index
            """, new { p = period.ToString(), ScopeRegion = caller.Scope.Parameter }, commandTimeout: Database.JobTimeout, cancellationToken: ct))).ToList();
        foreach (var group in dueScholarships.GroupBy(s => s.ClaimId))
        {
            await using var tx = await c.BeginTransactionAsync(ct);
            await lease.FenceAsync(c, tx, ct);
            var number = await c.ExecuteScalarAsync<string>(new CommandDefinition("SELECT claim_number FROM claims WHERE id = @id", new { id = group.Key }, tx, cancellationToken: ct));
            var rows = group.Select(s => new object?[]
            {
                s.ClaimId, "scholarship", (int)((s.HeirSeq * 100) + s.YearIndex), s.DuePeriod, (int)s.HeirSeq, s.Amount,
                $"RUN-{number}-scholarship-{s.HeirSeq.ToString(CultureInfo.InvariantCulture)}-{s.YearIndex.ToString(CultureInfo.InvariantCulture)}", s.BankAccount,
                Period.Parse(s.DuePeriod).FirstDay, caller.Actor, s.Programme, s.RegionCode, now,
            }).ToList();
            await MultiRow.InsertIgnoringConflictsAsync(c, tx, "claim_payments", PaymentColumns, rows, ct);
            await c.ExecuteAsync(new CommandDefinition($"UPDATE claim_scholarships SET status = 'paid' WHERE {db.Dialect.InList("id", "@ids")}",
                new { ids = db.Dialect.ListValue(group.Select(s => s.Id).ToList()) }, tx, cancellationToken: ct));
            await tx.CommitAsync(ct);
            scholarships += rows.Count;
            created += rows.Count;
            amount += group.Sum(s => s.Amount);
        }

        await using (var tx = await c.BeginTransactionAsync(ct))
        {
            await c.ExecuteAsync(new CommandDefinition("UPDATE pension_runs SET finished_at = @now, payments = @created, amount = @amount WHERE id = @runId",
                new { now = time.GetUtcNow(), created, amount, runId }, tx, cancellationToken: ct));
            await AuditLog.AppendAsync(c, tx, caller, now, new AuditEvent("pensions.run", "pension_run", runId.ToString(CultureInfo.InvariantCulture),
                After: new { period = period.ToString(), pensions, jkp, scholarships, created, already, amount }), ct);
            await tx.CommitAsync(ct);
        }

        return new PensionRunSummary(period.ToString(), pensions, jkp, scholarships, created, already, amount, problems);
    }
}
