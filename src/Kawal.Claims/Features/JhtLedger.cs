using System.Data.Common;
using System.Globalization;
using Dapper;
using Kawal.Data;
using Kawal.Identity;
using Kawal.Registry.Features;

namespace Kawal.Claims.Features;

public sealed record JhtEntryDto(string Date, string Kind, long Amount, string? Reference);

public sealed record JhtStatementDto(string Nik, string Name, int Year, long Opening, long Contributions, long Returns, long Payouts, long Closing, decimal? RatePercent,
    string? RateSource, long Balance, IReadOnlyList<JhtEntryDto> Entries);

public sealed record JhtRateDto(int Year, decimal RatePercent, string Source, string SetBy, string SetAt);

public sealed record JhtReturnsSummary(int Year, decimal RatePercent, int Accounts, long Amount);

/// <summary>
/// JHT accounts as a ledger (docs/claims.md § JHT): a contribution entry for each bill line with JHT once its bill is
/// paid in full (dated the day it was paid), a return entry per year at the rate BPJS declared for that year, a payout
/// entry per paid JHT claim. <c>jht_accounts</c> holds each participant's balance, recomputed from the entries in the
/// transaction that adds them, so the balance is the sum of the entries.
/// </summary>
public sealed class JhtLedger(Database db, TimeProvider time)
{
    private sealed class Unposted
    {
        public long Id { get; set; }
        public long ParticipantId { get; set; }
        public string Segment { get; set; } = "";
        public string Period { get; set; } = "";
        public string Programmes { get; set; } = "";
        public long Base { get; set; }
        public long RiskClass { get; set; }
        public DateOnly? PaidOn { get; set; }
    }

    /// <summary>Credits the JHT part of every paid line not yet credited (of one participant, or all). Safe to run again.</summary>
    internal static async Task<int> PostAsync(DbConnection c, DbTransaction tx, ISqlDialect dialect, long? participantId, DateTimeOffset now, CancellationToken ct)
    {
        var filter = participantId is null ? "1 = 1" : "m.participant_id = @participantId";
        var lines = (await c.QueryAsync<Unposted>(new CommandDefinition(
            $"""
            SELECT l.id AS Id, m.participant_id AS ParticipantId, l.segment AS Segment, l.period AS Period, l.programmes AS Programmes, l.base AS Base, l.risk_class AS RiskClass,
                   (SELECT MAX(a.paid_on) FROM allocations a WHERE a.bill_id = b.id) AS PaidOn
            FROM bill_lines l JOIN bills b ON b.id = l.bill_id JOIN memberships m ON m.id = l.membership_id
            WHERE {filter} AND l.amount > 0 AND b.amount > 0 AND b.paid >= b.amount AND l.programmes LIKE '%JHT%'
              AND NOT EXISTS (SELECT 1 FROM jht_entries j WHERE j.bill_line_id = l.id)
            """, new { participantId }, tx, commandTimeout: Database.JobTimeout, cancellationToken: ct))).ToList();
        var rows = new List<object?[]>(lines.Count);
        foreach (var l in lines)
        {
            var amount = JhtPart.Of(l.Segment, l.Period, l.Programmes, l.Base, (int)l.RiskClass);
            if (amount > 0)
            {
                rows.Add([l.ParticipantId, l.PaidOn ?? Period.Parse(l.Period).LastDay, "contribution", amount, l.Id, null, null, now]);
            }
        }

        if (rows.Count == 0)
        {
            return 0;
        }

        await MultiRow.InsertAsync(c, tx, "jht_entries", Columns, rows, ct);
        await RecomputeAsync(c, tx, dialect, rows.Select(r => (long)r[0]!).Distinct().ToList(), now, ct);
        return rows.Count;
    }

    internal static readonly string[] Columns = ["participant_id", "entry_date", "kind", "amount", "bill_line_id", "claim_id", "year", "created_at"];

    /// <summary>Sets the accounts of these participants to the sums of their entries.</summary>
    internal static async Task RecomputeAsync(DbConnection c, DbTransaction tx, ISqlDialect dialect, IReadOnlyList<long> participants, DateTimeOffset now, CancellationToken ct)
    {
        foreach (var chunk in participants.Chunk(5_000))
        {
            await c.ExecuteAsync(new CommandDefinition(
                $"""
                INSERT INTO jht_accounts (participant_id, balance, credits, returns, payouts, updated_at)
                SELECT participant_id, SUM(amount), SUM(CASE WHEN kind = 'contribution' THEN amount ELSE 0 END), SUM(CASE WHEN kind = 'return' THEN amount ELSE 0 END),
                       -SUM(CASE WHEN kind = 'payout' THEN amount ELSE 0 END), @now
                FROM jht_entries WHERE {dialect.InList("participant_id", "@ids")} GROUP BY participant_id
                ON CONFLICT (participant_id) DO UPDATE SET balance = excluded.balance, credits = excluded.credits, returns = excluded.returns, payouts = excluded.payouts,
                    updated_at = excluded.updated_at
                """, new { ids = dialect.ListValue(chunk), now }, tx, commandTimeout: Database.JobTimeout, cancellationToken: ct));
        }
    }

    internal sealed class Account
    {
        public long Balance { get; set; }
        public long Credits { get; set; }
        public long Returns { get; set; }
        public long Payouts { get; set; }
    }

    internal static async Task<Account> AccountAsync(DbConnection c, DbTransaction? tx, long participantId, CancellationToken ct) =>
        await c.QuerySingleOrDefaultAsync<Account>(new CommandDefinition(
            "SELECT balance AS Balance, credits AS Credits, returns AS Returns, payouts AS Payouts FROM jht_accounts WHERE participant_id = @participantId",
            new { participantId }, tx, cancellationToken: ct)) ?? new Account();

    /// <summary><c>kawal jht post</c>: credits every paid line not yet credited.</summary>
    public async Task<int> PostAllAsync(Caller caller, CancellationToken ct = default)
    {
        caller.Demand(Permission.ClaimsWrite);
        await using var c = await db.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var now = time.GetUtcNow();
        var n = await PostAsync(c, tx, db.Dialect, null, now, ct);
        await AuditLog.AppendAsync(c, tx, caller, now, new AuditEvent("jht.post", "jht_entries", null, After: new { entries = n }), ct);
        await tx.CommitAsync(ct);
        return n;
    }

    /// <summary>Records the development rate BPJS declared for a year, with its source (changing it is refused once returns were credited).</summary>
    public async Task<JhtRateDto> SetRateAsync(int year, decimal ratePercent, string? source, Caller caller, CancellationToken ct = default)
    {
        caller.Demand(Permission.ClaimsWrite);
        if (year is < 2015 or > 2100)
        {
            throw new UsageException("year must be between 2015 and 2100", "year") { Indonesian = "Tahun harus antara 2015 dan 2100." };
        }

        if (ratePercent is < 0 or > 50 || decimal.Round(ratePercent, 2) != ratePercent)
        {
            throw new UsageException("rate must be a percentage from 0 to 50 with at most 2 decimals, e.g. 5.63", "rate") { Indonesian = "Hasil pengembangan harus persentase dari 0 sampai 50 dengan paling banyak 2 angka desimal, misalnya 5,63." };
        }

        if (string.IsNullOrWhiteSpace(source) || source.Trim().Length < 5)
        {
            throw new UsageException("source is required: where the rate was declared (publication, date)", "source") { Indonesian = "Isi sumber: di mana persentase itu diumumkan (publikasi, tanggal)." };
        }

        await using var c = await db.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var now = time.GetUtcNow();
        var bp = (int)(ratePercent * 100);
        var old = await c.QuerySingleOrDefaultAsync<int?>(new CommandDefinition("SELECT rate_bp FROM jht_rates WHERE year = @year", new { year }, tx, cancellationToken: ct));
        if (old is not null && old != bp && await c.ExecuteScalarAsync<long>(new CommandDefinition("SELECT count(*) FROM jht_entries WHERE kind = 'return' AND year = @year", new { year }, tx, cancellationToken: ct)) > 0)
        {
            throw new ConflictException($"returns for {year} were already credited at {old / 100m}%; the rate cannot change", "rate") { Indonesian = $"Hasil pengembangan tahun {year} sudah dikreditkan dengan {old / 100m}%; persentasenya tidak dapat diubah lagi." };
        }

        await c.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO jht_rates (year, rate_bp, source, set_by, set_at) VALUES (@year, @bp, @source, @actor, @now)
            ON CONFLICT (year) DO UPDATE SET rate_bp = excluded.rate_bp, source = excluded.source, set_by = excluded.set_by, set_at = excluded.set_at
            """, new { year, bp, source = source.Trim(), actor = caller.Actor, now }, tx, cancellationToken: ct));
        await AuditLog.AppendAsync(c, tx, caller, now, new AuditEvent("jht.rate", "jht_rate", year.ToString(CultureInfo.InvariantCulture),
            Before: old is null ? null : new { rate = old / 100m }, After: new { rate = ratePercent, source }), ct);
        await tx.CommitAsync(ct);
        return new JhtRateDto(year, ratePercent, source.Trim(), caller.Actor, now.ToString("O", CultureInfo.InvariantCulture));
    }

    public async Task<IReadOnlyList<JhtRateDto>> RatesAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<(long Year, long Bp, string Source, string SetBy, DateTimeOffset SetAt)>(new CommandDefinition(
            "SELECT year, rate_bp, source, set_by, set_at FROM jht_rates ORDER BY year", cancellationToken: ct)))
            .Select(r => new JhtRateDto((int)r.Year, r.Bp / 100m, r.Source, r.SetBy, r.SetAt.ToString("O", CultureInfo.InvariantCulture))).ToList();
    }

    private sealed class EntryRow
    {
        public long ParticipantId { get; set; }
        public DateOnly EntryDate { get; set; }
        public long Amount { get; set; }
    }

    /// <summary>
    /// Credits a finished year's development return to every account: rate × (the balance at 1 January + each entry of
    /// the year × the whole months left in the year after its month ÷ 12), rounded to whole rupiah, dated 31 December.
    /// A year already credited is not credited again.
    /// </summary>
    public async Task<JhtReturnsSummary> CreditReturnsAsync(int year, Caller caller, CancellationToken ct = default)
    {
        caller.Demand(Permission.ClaimsWrite);
        if (year >= time.Today().Year)
        {
            throw new UsageException($"{year} has not ended: returns are credited after 31 December", "year") { Indonesian = $"Tahun {year} belum berakhir: hasil pengembangan dikreditkan sesudah 31 Desember." };
        }

        await using var c = await db.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var bp = await c.QuerySingleOrDefaultAsync<int?>(new CommandDefinition("SELECT rate_bp FROM jht_rates WHERE year = @year", new { year }, tx, cancellationToken: ct))
            ?? throw new UsageException($"no declared JHT development rate for {year}: set it first (kawal jht rate --year {year} --rate … --source …)", "year") { Indonesian = $"Belum ada persentase hasil pengembangan JHT untuk tahun {year}: catat persentasenya lebih dahulu." };
        var now = time.GetUtcNow();
        await PostAsync(c, tx, db.Dialect, null, now, ct);
        var end = new DateOnly(year, 12, 31);
        var rows = (await c.QueryAsync<EntryRow>(new CommandDefinition(
            """
            SELECT participant_id AS ParticipantId, entry_date AS EntryDate, amount AS Amount FROM jht_entries j
            WHERE entry_date <= @end AND NOT EXISTS (SELECT 1 FROM jht_entries r WHERE r.participant_id = j.participant_id AND r.kind = 'return' AND r.year = @year)
            """, new { end, year }, tx, commandTimeout: Database.JobTimeout, cancellationToken: ct))).ToList();
        var rate = bp / 10_000m;
        var inserts = new List<object?[]>();
        long total = 0;
        foreach (var g in rows.GroupBy(r => r.ParticipantId))
        {
            var weighted = g.Sum(e => e.EntryDate.Year < year ? e.Amount : e.Amount * (12m - e.EntryDate.Month) / 12m);
            var amount = (long)Math.Round(weighted * rate, 0, MidpointRounding.AwayFromZero);
            if (amount > 0)
            {
                inserts.Add([g.Key, end, "return", amount, null, null, year, now]);
                total += amount;
            }
        }

        if (inserts.Count > 0)
        {
            await MultiRow.InsertAsync(c, tx, "jht_entries", Columns, inserts, ct);
            await RecomputeAsync(c, tx, db.Dialect, inserts.Select(r => (long)r[0]!).ToList(), now, ct);
        }

        await AuditLog.AppendAsync(c, tx, caller, now, new AuditEvent("jht.returns", "jht_entries", year.ToString(CultureInfo.InvariantCulture),
            After: new { year, rate = bp / 100m, accounts = inserts.Count, amount = total }), ct);
        await tx.CommitAsync(ct);
        return new JhtReturnsSummary(year, bp / 100m, inserts.Count, total);
    }

    /// <summary>A participant's yearly statement (PP 46/2015: at least once a year).</summary>
    public async Task<JhtStatementDto?> StatementAsync(string nik, int year, Caller caller, CancellationToken ct = default)
    {
        caller.Demand(Permission.ClaimsRead);
        await using var c = await db.OpenAsync(ct);
        var p = await c.QuerySingleOrDefaultAsync<(long Id, string Nik, string Name)?>(new CommandDefinition(
            $"SELECT id, nik, name FROM participants p WHERE (nik = @nik OR kpj = @nik) AND {RegistryScope.Participant(caller, "p")}",
            RegistryScope.Args(caller, new { nik }), cancellationToken: ct));
        if (p is null)
        {
            return null;
        }

        var start = new DateOnly(year, 1, 1);
        var end = new DateOnly(year, 12, 31);
        var entries = (await c.QueryAsync<(DateOnly Date, string Kind, long Amount, string? Bill, string? Claim)>(new CommandDefinition(
            """
            SELECT j.entry_date, j.kind, j.amount, b.bill_number, k.claim_number FROM jht_entries j
            LEFT JOIN bill_lines l ON l.id = j.bill_line_id LEFT JOIN bills b ON b.id = l.bill_id LEFT JOIN claims k ON k.id = j.claim_id
            WHERE j.participant_id = @Id AND j.entry_date <= @end ORDER BY j.entry_date, j.id
            """, new { p.Value.Id, end }, cancellationToken: ct))).ToList();
        var opening = entries.Where(e => e.Date < start).Sum(e => e.Amount);
        var inYear = entries.Where(e => e.Date >= start).ToList();
        var rate = await c.QuerySingleOrDefaultAsync<(long Bp, string Source)?>(new CommandDefinition("SELECT rate_bp, source FROM jht_rates WHERE year = @year", new { year }, cancellationToken: ct));
        var account = await AccountAsync(c, null, p.Value.Id, ct);
        return new JhtStatementDto(caller.ShowNik(p.Value.Nik), p.Value.Name, year, opening, inYear.Where(e => e.Kind == "contribution").Sum(e => e.Amount),
            inYear.Where(e => e.Kind == "return").Sum(e => e.Amount), -inYear.Where(e => e.Kind == "payout").Sum(e => e.Amount), opening + inYear.Sum(e => e.Amount),
            rate?.Bp / 100m, rate?.Source, account.Balance, inYear.Select(e => new JhtEntryDto(e.Date.ToIso(), e.Kind, e.Amount, e.Bill ?? e.Claim)).ToList());
    }
}
