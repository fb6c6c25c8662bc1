using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using Dapper;
using Kawal.Data;
using Kawal.Identity;
using Kawal.Rules;
using Kawal.Rules.Contributions;

namespace Kawal.Contributions.Features;

/// <summary>Bill one contribution month, nationally or for one province or regency.</summary>
/// <remarks>
/// <paramref name="Wait"/>: when another run of the month holds it (on any node), wait for it to finish instead of refusing.
/// </remarks>
public sealed record BillingRequest(Period Period, string? Region, Caller Caller, bool Wait = false);

/// <summary>
/// The outcome, as <c>kawal billing run --json</c> prints it. Counts and totals describe the month's billing in the
/// run's scope after the run (so running it again prints the same totals); <see cref="Created"/>,
/// <see cref="Supplementary"/> and <see cref="Unchanged"/> describe what this run did.
/// </summary>
public sealed record BillingSummary(
    string Period,
    string? Region,
    long RunId,
    bool Resumed,
    int Memberships,
    int Bills,
    int Lines,
    int Created,
    int Supplementary,
    int Unchanged,
    int Skipped,
    long EmployerTotal,
    long WorkerTotal,
    long GovernmentTotal,
    long Total,
    IReadOnlyList<string> Problems);

/// <summary>A membership as the billing run reads it (BillingRunner.ChunkAsync), with its employer and what pricing found.</summary>
internal sealed class MembershipToBill
{
    public long Id { get; set; }
    public string Segment { get; set; } = "";
    public string Programmes { get; set; } = "";
    public long Wage { get; set; }
    public string PayerKind { get; set; } = "";
    public string? PayerRef { get; set; }
    public string RegionCode { get; set; } = "";
    public long ParticipantId { get; set; }
    public long? EmployerId { get; set; }

    /// <summary>The participant's KPJ, read only when the participant pays (<see cref="PayerKind"/> <c>self</c>).</summary>
    public string? Kpj { get; set; }
    public string? Npp { get; set; }
    public string? EmployerName { get; set; }
    public string? EmployerRegion { get; set; }
    public long RiskClass { get; set; } = 1; // no employer: class 1

    // Set by the run's pricing (Pricing.Price), not read from the database.
    internal Segment SegmentValue { get; set; }
    internal BilledAmounts? Amounts { get; set; }
    internal string? Problem { get; set; }
    internal PayerKey? Payer { get; set; }
}

/// <summary>
/// What a membership owes for the month by the rules engine (or why it cannot be billed), and its payer's key. Pure: run on
/// the reading side, ahead of the writer. Segments and programme lists are parsed once per distinct text.
/// </summary>
internal sealed class Pricing(BillingRates rates)
{
    private readonly Dictionary<string, Segment> segments = [];
    private readonly Dictionary<string, Programmes> programmes = [];
    private readonly Dictionary<(string Kind, long? Employer, string? Reference, string Region), PayerKey> payers = [];

    public void Price(MembershipToBill m)
    {
        if (!segments.TryGetValue(m.Segment, out var segment))
        {
            segments[m.Segment] = segment = Enum.Parse<Segment>(m.Segment);
        }

        if (!programmes.TryGetValue(m.Programmes, out var set))
        {
            programmes[m.Programmes] = set = ProgrammeSets.Parse(m.Programmes);
        }

        m.SegmentValue = segment;
        m.Problem = rates.Unavailable(segment) ?? BillingKernel.Problem(segment, m.Wage, rates);
        m.Amounts = m.Problem is null ? BillingKernel.Compute(segment, m.Wage, (int)m.RiskClass, set, rates) : null;
        m.Payer = m.Problem is null && m.Amounts is not null ? PayerOf(m) : null;
    }

    /// <summary>
    /// The membership's payer key, shared by the memberships of one employer or budget (a participant paying for themself
    /// is their own payer: not kept). Kept for up to 10,000 payers, then forgotten.
    /// </summary>
    private PayerKey PayerOf(MembershipToBill m)
    {
        if (m.PayerKind == "self")
        {
            return PayerKey.For(m);
        }

        var key = (m.PayerKind, m.EmployerId, m.PayerRef, m.RegionCode);
        if (!payers.TryGetValue(key, out var payer))
        {
            if (payers.Count >= 10_000)
            {
                payers.Clear();
            }

            payers[key] = payer = PayerKey.For(m);
        }

        return payer;
    }
}

/// <summary>
/// The monthly billing run. Memberships are read in id order in chunks; each chunk is written in one transaction
/// together with the run's cursor, so a run killed at any point keeps whole chunks and, run again, resumes where it
/// stopped (same run, same bills). What a membership should owe for the month is compared with what its lines already
/// add up to, per payer: equal is unchanged, missing is a new line, different is a supplementary line for the
/// difference (negative when a wage fell or the membership ended before the month), a changed payer is reversed on the
/// old payer's bill. Lines of one payer in one run form one bill; a later run's lines form the payer's next bill.
/// </summary>
public sealed class BillingRunner(Database db, TimeProvider time)
{
    public const int ChunkSize = 5000;

    /// <summary>Payer and bill ids, and employers, remembered across batches, at most (then forgotten and looked up again).</summary>
    internal int RememberedIds { get; set; } = 50_000;

    /// <summary>Memberships per committed batch.</summary>
    public int BatchSize { get; set; } = ChunkSize;

    /// <summary>Called once when the run waits for another run of the month (<see cref="BillingRequest.Wait"/>).</summary>
    public Action<LeaseHolding>? Waiting { get; set; }

    /// <summary>The lease a run of a month holds: one run per month at a time, of any region, on any node (docs/operations.md).</summary>
    public static LeaseRequest LeaseFor(Period period, string? region, Caller caller) => new("billing", period.ToString(), caller.Actor,
        $"penagihan iuran {period}{(region is null ? "" : $" wilayah {region}")}", $"the billing run of {period}{(region is null ? "" : $" for region {region}")}");

    // Active in the month: its dates cover part of it and it is active — or non-aktif under the arrears rule, which stops
    // the billing of BPU months from the month the limit was crossed (PU employers keep owing).
    private const string ActiveInMonth = """
        m.valid_from <= @Last AND (m.valid_to IS NULL OR m.valid_to > @First)
        AND (m.status IN ('active', 'ended') OR EXISTS (SELECT 1 FROM arrears_suspensions s WHERE s.membership_id = m.id AND (m.segment <> 'BPU' OR s.suspended_on > @First)))
        """;

    public async Task<BillingSummary> RunAsync(BillingRequest request, IProgress<(long Done, long Total)>? progress, CancellationToken ct)
    {
        var caller = request.Caller;
        caller.Demand(Permission.ContributionsWrite);
        var period = request.Period;
        var today = time.Today();
        if (period > Period.Of(today))
        {
            throw new UsageException($"period {period} has not begun yet (today is {today.ToIso()})", "period") { Indonesian = $"Periode {period} belum dimulai (hari ini {today.ToIso()})." };
        }

        var region = request.Region is null ? null : RegionCode.Parse(request.Region).Value;
        if (!caller.Scope.Covers(region) || (region is null && !caller.Scope.IsNational))
        {
            throw new ForbiddenException($"{caller.Actor} may not bill outside {caller.Scope}") { Indonesian = $"Anda hanya dapat menjalankan penagihan di wilayah Anda ({(caller.Scope.Code ?? "nasional")}); penagihan seluruh negeri dijalankan oleh petugas tingkat nasional." };
        }

        var rates = BillingRates.For(period);
        await using var c = await db.OpenAsync(ct);
        if (region is not null && await c.ExecuteScalarAsync<int>(new CommandDefinition("SELECT COUNT(*) FROM regions WHERE code = @region", new { region }, cancellationToken: ct)) == 0)
        {
            throw new UsageException($"region {region} is not in the regions reference", "region") { Indonesian = $"Wilayah {region} tidak ada dalam daftar wilayah Kemendagri." };
        }

        // One run of a month at a time, whatever process or node starts it: a second run would "resume" the first one's
        // cursor and bill its memberships again. Each batch renews the lease in its own transaction (the fence).
        await using var lease = await new Leases(db, time).AcquireAsync(LeaseFor(period, region, caller), request.Wait, Waiting, ct);

        var (runId, resumed, cursor) = await StartAsync(c, period, region, caller, ct);
        var rateSets = await RateSetsAsync(c, period, rates, ct);

        // The month's first run: nothing is billed for the month yet, and only this run bills it, in windows of ids each
        // written before the next is read ahead: no window ahead can hold lines already (none need reading).
        var firstOfMonth = !resumed && await c.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COUNT(*) FROM (SELECT 1 FROM bills WHERE period = @p LIMIT 1) x", new { p = period.ToString() }, cancellationToken: ct)) == 0;
        var scope = region is null ? "1 = 1" : RegionScope.Of(RegionCode.Parse(region)).Sql("m.region_code");
        var lineScope = region is null ? "1 = 1" : RegionScope.Of(RegionCode.Parse(region)).Sql("l.region_code");
        var args = new { First = period.FirstDay, Last = period.LastDay, Period = period.ToString(), ScopeRegion = region ?? "" };
        long total = 0;
        if (progress is not null)
        {
            total = await c.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT COUNT(*) FROM memberships m WHERE {ActiveInMonth} AND {scope}", args, cancellationToken: ct));
        }

        var counts = new RunCounts();
        var problems = new List<string>();
        var remembered = new Remembered(RememberedIds, firstOfMonth);
        long done = 0;

        // Reading and pricing run one chunk ahead of writing, on a second connection: the reads of chunk k + 1 and its
        // pricing overlap the write and commit of chunk k. Chunks are disjoint windows of membership ids, so what the reader
        // sees of a chunk's earlier lines cannot be changed by the chunk being written; a run killed at any point resumes
        // from the committed cursor, and whatever was read ahead is read again.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var ahead = Channel.CreateBounded<ChunkRead>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
        var reading = Task.Run(() => ReadAheadAsync(ahead.Writer, cursor, period, rates, rateSets, region ?? "", scope, lineScope, firstOfMonth, stop.Token), stop.Token);
        var writerFailed = true;
        try
        {
            await foreach (var read in ahead.Reader.ReadAllAsync(ct))
            {
                await using var tx = await c.BeginTransactionAsync(ct);
                await lease.FenceAsync(c, tx, ct);
                var now = time.GetUtcNow();
                var cursorMoves = ("UPDATE billing_runs SET cursor_id = @newCursor, memberships_billed = memberships_billed + @billed WHERE id = @runId",
                    (object)new { newCursor = read.Last, billed = read.Billed, runId });
                var written = await WriteChunkAsync(c, tx, db.Dialect, runId, period, rates, read, remembered, now, cursorMoves, ct);
                await AuditLog.AppendAsync(c, tx, caller, now, new AuditEvent("billing.batch", "billing_run", runId.ToString(CultureInfo.InvariantCulture), After: new
                {
                    period = period.ToString(), region, fromMembership = read.Cursor + 1, toMembership = read.Last, lines = written.Lines, amount = written.Amount,
                }, RegionCode: region), ct);
                await tx.CommitAsync(ct);
                counts.Add(read.Counts);
                problems.AddRange(read.Problems.Take(20 - problems.Count));
                done += read.Memberships;
                progress?.Report((done, total));
            }

            writerFailed = false;
        }
        finally
        {
            if (writerFailed)
            {
                await stop.CancelAsync();
            }

            try
            {
                await reading; // a failed read ahead surfaces here, as itself
            }
            catch (Exception) when (writerFailed && stop.IsCancellationRequested)
            {
                // stopped because the writer failed: the writer's exception is the one that matters
            }
        }

        await using (var tx = await c.BeginTransactionAsync(ct))
        {
            await lease.FenceAsync(c, tx, ct);
            await Ledger.ApplyCreditsAsync(c, tx, db.Dialect, null, ct);
            var finished = time.GetUtcNow();
            await c.ExecuteAsync(new CommandDefinition("UPDATE billing_runs SET status = 'completed', finished_at = @finished WHERE id = @runId", new { finished, runId }, tx, cancellationToken: ct));
            await AuditLog.AppendAsync(c, tx, caller, finished, new AuditEvent("billing.finish", "billing_run", runId.ToString(CultureInfo.InvariantCulture), After: new
            {
                period = period.ToString(), region, created = counts.Created, supplementary = counts.Supplementary, unchanged = counts.Unchanged, skipped = counts.Skipped,
            }, RegionCode: region), ct);
            await tx.CommitAsync(ct);
        }

        await ArrearsStatus.RefreshAsync(c, db.Dialect, today, caller, time.GetUtcNow(), ct);
        return await SummaryAsync(c, period, region, lineScope, runId, resumed, counts, problems, ct);
    }

    /// <summary>
    /// A window of memberships (ids after <c>Cursor</c> up to <c>Last</c>) read and planned: the lines to write (new,
    /// supplementary, reversals), the payers they name, the ids of payers already billed, and what the plan counted —
    /// <c>Billed</c>, the window's memberships whose lines for the month will add up to something other than zero.
    /// </summary>
    private sealed record ChunkRead(long Cursor, long Last, int Memberships, int Billed, List<PendingLine> Lines, List<PayerKey> Payers, Dictionary<string, long> KnownPayers,
        RunCounts Counts, List<string> Problems);

    /// <summary>
    /// Reads the run's chunks from <paramref name="cursor"/> on, each the next <see cref="BatchSize"/> membership ids in
    /// scope (windows without anything to bill or reverse are passed over), prices their memberships and hands them to the
    /// writer. Its own connection, no transaction: nothing is written here (a SQLite transaction would take the write lock).
    /// </summary>
    private async Task ReadAheadAsync(ChannelWriter<ChunkRead> output, long cursor, Period period, BillingRates rates, Dictionary<Segment, long> rateSets, string scopeRegion, string scope, string lineScope,
        bool firstOfMonth, CancellationToken ct)
    {
        try
        {
            await using var r = await db.OpenAsync(ct);
            var first = period.FirstDay;
            var lastDay = period.LastDay;
            var pricing = new Pricing(rates);
            var employers = new Dictionary<long, EmployerToBill>();
            var national = scopeRegion.Length == 0;
            long highest = 0;
            while (true)
            {
                // The chunk is a window of membership ids after the cursor, then the memberships in it active in the month. A
                // national run takes the next BatchSize ids (ids are dense: drawn from a sequence, memberships never deleted)
                // up to the highest id, read again when reached so that memberships added meanwhile are billed too. A region's
                // memberships are scattered over the ids: its window is the next BatchSize of them, counted. (Asked in one query,
                // active ones ORDER BY id LIMIT, PostgreSQL planned a freshly loaded table from stale statistics as a scan of
                // every remaining membership and a sort, per chunk: quadratic, 1M: 58 ms a chunk.)
                long last;
                if (national)
                {
                    if (cursor >= highest)
                    {
                        highest = await r.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COALESCE(MAX(id), 0) FROM memberships", cancellationToken: ct));
                    }

                    last = cursor >= highest ? long.MaxValue : cursor + BatchSize;
                }
                else
                {
                    var window = await r.QuerySingleAsync<(long Count, long Max)>(new CommandDefinition(
                        $"SELECT COUNT(*), COALESCE(MAX(w.id), 0) FROM (SELECT m.id FROM memberships m WHERE m.id > @cursor AND {scope} ORDER BY m.id LIMIT {BatchSize}) w",
                        new { ScopeRegion = scopeRegion, cursor }, cancellationToken: ct));
                    last = window.Count == BatchSize ? window.Max : long.MaxValue;
                }

                var chunk = await ChunkAsync(r, new CommandDefinition(
                    $"""
                    SELECT m.id, m.segment, m.programmes, m.wage, m.payer_kind, m.payer_ref, m.region_code, m.participant_id, m.employer_id
                    FROM memberships m
                    WHERE m.id > @cursor AND m.id <= @upTo AND {ActiveInMonth} AND {scope}
                    ORDER BY m.id
                    """, new { First = first, Last = lastDay, ScopeRegion = scopeRegion, cursor, upTo = last }, cancellationToken: ct), ct);
                await AddEmployersAndKpjsAsync(r, db.Dialect, chunk, employers, RememberedIds, ct);
                var existing = firstOfMonth ? [] : (await r.QueryAsync<BilledSum>(new CommandDefinition(
                    $"""
                    SELECT l.membership_id AS MembershipId, b.payer_id AS PayerId, p.payer_key AS PayerKey, SUM(l.employer_amount) AS Employer,
                           SUM(l.worker_amount) AS Worker, SUM(l.government_amount) AS Government, SUM(l.jp_amount) AS Jp
                    FROM bill_lines l JOIN bills b ON b.id = l.bill_id JOIN payers p ON p.id = b.payer_id
                    WHERE l.period = @Period AND l.membership_id > @cursor AND l.membership_id <= @last AND {lineScope}
                    GROUP BY l.membership_id, b.payer_id, p.payer_key
                    """, new { Period = period.ToString(), ScopeRegion = scopeRegion, cursor, last }, cancellationToken: ct))).AsList();
                if (chunk.Count > 0 || existing.Count > 0)
                {
                    var end = last == long.MaxValue ? Math.Max(cursor, Math.Max(chunk.Count > 0 ? chunk[^1].Id : 0, existing.Count > 0 ? existing.Max(e => e.MembershipId) : 0)) : last;
                    await output.WriteAsync(await PlanAsync(r, cursor, end, chunk, existing, pricing, rateSets, ct), ct);
                }

                if (last == long.MaxValue)
                {
                    break;
                }

                // Nothing in a national window: the ids may have a gap (ids a rolled-back import drew), passed over at once.
                cursor = national && chunk.Count == 0 && existing.Count == 0
                    ? await r.ExecuteScalarAsync<long?>(new CommandDefinition("SELECT MIN(id) FROM memberships WHERE id > @last", new { last }, cancellationToken: ct)) - 1 ?? last
                    : last;
            }

            output.Complete();
        }
        catch (Exception e)
        {
            output.TryComplete(e);
            throw;
        }
    }

    /// <summary>A chunk's memberships, read column by column (typed reads: a million memberships, no boxed values).</summary>
    private static async Task<List<MembershipToBill>> ChunkAsync(DbConnection r, CommandDefinition query, CancellationToken ct)
    {
        var chunk = new List<MembershipToBill>();
        await using var reader = await r.ExecuteReaderAsync(query);
        while (await reader.ReadAsync(ct))
        {
            chunk.Add(new MembershipToBill
            {
                Id = reader.GetInt64(0), Segment = reader.GetString(1), Programmes = reader.GetString(2), Wage = reader.GetInt64(3), PayerKind = reader.GetString(4),
                PayerRef = reader.IsDBNull(5) ? null : reader.GetString(5), RegionCode = reader.GetString(6), ParticipantId = reader.GetInt64(7),
                EmployerId = reader.IsDBNull(8) ? null : reader.GetInt64(8),
            });
        }

        return chunk;
    }

    /// <summary>
    /// A chunk's employers (NPP, name, region, risk class) and, for memberships the participant pays, their KPJs: one
    /// look-up each for the chunk's distinct keys instead of joining every membership to its person and employer
    /// (a chunk of 5,000 names a few hundred employers at most, and most memberships are not self-paid). Employers read for
    /// earlier chunks are kept in <paramref name="known"/> (an employer's members mostly follow each other in id order), at
    /// most <paramref name="remember"/> before a chunk: then forgotten.
    /// </summary>
    private static async Task AddEmployersAndKpjsAsync(DbConnection c, ISqlDialect dialect, List<MembershipToBill> chunk, Dictionary<long, EmployerToBill> known, int remember,
        CancellationToken ct)
    {
        if (known.Count > remember)
        {
            known.Clear();
        }

        var employerIds = chunk.Where(m => m.EmployerId is { } id && !known.ContainsKey(id)).Select(m => m.EmployerId!.Value).Distinct().ToList();
        if (employerIds.Count > 0)
        {
            foreach (var e in await c.QueryAsync<EmployerToBill>(new CommandDefinition(
                $"SELECT id AS Id, npp AS Npp, name AS Name, region_code AS RegionCode, risk_class AS RiskClass FROM {dialect.FromKeys("employers", "id", "@ids")}",
                new { ids = dialect.ListValue(employerIds) }, cancellationToken: ct)))
            {
                known[e.Id] = e;
            }
        }

        var selfPaid = chunk.Where(m => m.PayerKind == "self").Select(m => m.ParticipantId).Distinct().ToList();
        var kpjs = selfPaid.Count == 0 ? [] : (await c.QueryAsync<(long Id, string? Kpj)>(new CommandDefinition(
            $"SELECT id, kpj FROM {dialect.FromKeys("participants", "id", "@ids")}", new { ids = dialect.ListValue(selfPaid) }, cancellationToken: ct)))
            .ToDictionary(p => p.Id, p => p.Kpj);
        foreach (var m in chunk)
        {
            if (m.EmployerId is { } id && known.TryGetValue(id, out var e))
            {
                (m.Npp, m.EmployerName, m.EmployerRegion, m.RiskClass) = (e.Npp, e.Name, e.RegionCode, e.RiskClass);
            }

            m.Kpj = m.PayerKind == "self" ? kpjs.GetValueOrDefault(m.ParticipantId) : null;
        }
    }

    private sealed class EmployerToBill
    {
        public long Id { get; set; }
        public string Npp { get; set; } = "";
        public string Name { get; set; } = "";
        public string RegionCode { get; set; } = "";
        public long RiskClass { get; set; }
    }

    /// <summary>
    /// What the writer remembers across batches: payers' ids (by key) and regions, and this run's bills. Most payers are
    /// billed in one or two batches (a participant paying for themself, a small employer): memory is kept bounded by
    /// forgetting them all when any of them passes <c>limit</c>; a payer seen again is looked up again.
    /// </summary>
    private sealed class Remembered(int limit, bool firstOfMonth)
    {
        public Dictionary<string, long> Payers { get; } = new(StringComparer.Ordinal);

        public Dictionary<long, string> Regions { get; } = [];

        /// <summary>(payer id, group) → this run's bill.</summary>
        public Dictionary<(long, string), long> Bills { get; } = [];

        /// <summary>Every bill of the month is in <see cref="Bills"/>: a month's first run that has forgotten none.</summary>
        public bool AllBillsOfMonth { get; private set; } = firstOfMonth;

        public void ForgetIfFull()
        {
            if (Payers.Count > limit || Bills.Count > limit || Regions.Count > limit)
            {
                Payers.Clear();
                Regions.Clear();
                Bills.Clear();
                AllBillsOfMonth = false;
            }
        }
    }

    private sealed class RunCounts
    {
        public void Add(RunCounts other) =>
            (Created, Supplementary, Unchanged, Skipped) = (Created + other.Created, Supplementary + other.Supplementary, Unchanged + other.Unchanged, Skipped + other.Skipped);

        public int Created { get; set; }
        public int Supplementary { get; set; }
        public int Unchanged { get; set; }
        public int Skipped { get; set; }
    }

    internal sealed class BilledSum
    {
        public long MembershipId { get; set; }
        public long PayerId { get; set; }
        public string PayerKey { get; set; } = "";
        public long Employer { get; set; }
        public long Worker { get; set; }
        public long Government { get; set; }
        public long Jp { get; set; }

        public BilledAmounts Amounts => new(0, Employer, Worker, Government, Jp);
    }

    private sealed record PendingLine(long MembershipId, string PayerKey, string Group, string Segment, string Programmes, int RiskClass, BilledAmounts Amounts, bool Supplementary, long RateSetId, string RegionCode);

    /// <summary>
    /// Opens a new run for the month, or resumes the one a killed process left running. Called holding the month's lease:
    /// a run found running is one whose process stopped.
    /// </summary>
    private async Task<(long RunId, bool Resumed, long Cursor)> StartAsync(DbConnection c, Period period, string? region, Caller caller, CancellationToken ct)
    {
        await using var tx = await c.BeginTransactionAsync(ct);
        var running = await c.QuerySingleOrDefaultAsync<(long Id, string? Region, long Cursor)?>(new CommandDefinition(
            "SELECT id, region_code, cursor_id FROM billing_runs WHERE period = @p AND status = 'running'", new { p = period.ToString() }, tx, cancellationToken: ct));
        if (running is { } r)
        {
            if (r.Region != region)
            {
                throw new ConflictException($"an unfinished billing run of {period} for {r.Region ?? "the whole country"} must be finished first: run it again with {(r.Region is null ? "no --region" : $"--region {r.Region}")}", "region") { Indonesian = $"Penagihan {period} untuk {r.Region ?? "seluruh negeri"} belum selesai: jalankan lagi penagihan {period} {(r.Region is null ? "untuk seluruh negeri" : $"untuk wilayah {r.Region}")} sampai selesai lebih dahulu." };
            }

            await tx.CommitAsync(ct);
            return (r.Id, true, r.Cursor);
        }

        var ordinal = await c.ExecuteScalarAsync<int>(new CommandDefinition("SELECT COALESCE(MAX(ordinal), 0) + 1 FROM billing_runs WHERE period = @p", new { p = period.ToString() }, tx, cancellationToken: ct));
        var id = await c.ExecuteScalarAsync<long>(new CommandDefinition(
            "INSERT INTO billing_runs (period, region_code, ordinal, status, started_by, started_at, memberships_billed) VALUES (@p, @region, @ordinal, 'running', @Actor, @now, 0) RETURNING id",
            new { p = period.ToString(), region, ordinal, caller.Actor, now = time.GetUtcNow() }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return (id, false, 0);
    }

    private static async Task<Dictionary<Segment, long>> RateSetsAsync(DbConnection c, Period period, BillingRates rates, CancellationToken ct)
    {
        var result = new Dictionary<Segment, long>();
        foreach (var segment in new[] { Segment.PU, Segment.BPU, Segment.JAKON })
        {
            if (rates.Unavailable(segment) is not null)
            {
                continue;
            }

            var parameters = JsonSerializer.Serialize(rates.Used(segment).Select(u => new { id = u.Id, value = u.Value, citation = u.Citation }));
            await c.ExecuteAsync(new CommandDefinition(
                "INSERT INTO rate_sets (period, segment, parameters) VALUES (@p, @s, @parameters) ON CONFLICT (period, segment) DO NOTHING",
                new { p = period.ToString(), s = segment.ToString(), parameters }, cancellationToken: ct));
            result[segment] = await c.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT id FROM rate_sets WHERE period = @p AND segment = @s", new { p = period.ToString(), s = segment.ToString() }, cancellationToken: ct));
        }

        return result;
    }

    /// <summary>
    /// What a chunk's memberships should owe for the month (priced here) against what their lines already add up to, per payer (by key):
    /// equal is unchanged, missing is a new line, different a supplementary line for the difference, a changed payer a
    /// reversal on the old payer's bill; memberships billed before but no longer active in the month are reversed. Only reads.
    /// </summary>
    private async Task<ChunkRead> PlanAsync(DbConnection r, long cursor, long last, List<MembershipToBill> chunk, List<BilledSum> existing, Pricing pricing, Dictionary<Segment, long> rateSets,
        CancellationToken ct)
    {
        var counts = new RunCounts();
        var problems = new List<string>();
        var billedBy = existing.ToLookup(e => e.MembershipId);
        var pending = new List<PendingLine>(chunk.Count);
        var billed = 0;
        foreach (var m in chunk)
        {
            pricing.Price(m);
            if (m.Problem is { } why)
            {
                counts.Skipped++;
                if (m.SegmentValue != Segment.PMI && problems.Count < 20)
                {
                    problems.Add($"membership {m.Id}: {why}");
                }

                Reverse(pending, counts, billedBy[m.Id], null, m, rateSets);
                continue;
            }

            if (m.Amounts is not { } amounts)
            {
                counts.Skipped++;
                Reverse(pending, counts, billedBy[m.Id], null, m, rateSets);
                continue;
            }

            // After this batch the membership's lines in scope add up to exactly these amounts (to the payer's, the others'
            // reversed): it counts as billed as the summary's SQL over the lines would count it.
            if (amounts.Total != 0 || amounts.Government != 0)
            {
                billed++;
            }

            var payer = m.Payer!.Key;
            var group = m.SegmentValue == Segment.BPU ? "BPU" : "PU";
            // Loops, not lambdas: a closure per membership was a fifth of the run's allocations.
            BilledSum? before = null;
            foreach (var b in billedBy[m.Id])
            {
                if (b.PayerKey == payer)
                {
                    before = b;
                    break;
                }
            }

            Reverse(pending, counts, billedBy[m.Id], payer, m, rateSets);
            if (before is null)
            {
                pending.Add(new PendingLine(m.Id, payer, group, m.Segment, m.Programmes, (int)m.RiskClass, amounts, false, rateSets[m.SegmentValue], m.RegionCode));
                counts.Created++;
            }
            else if ((amounts - before.Amounts) is { IsZero: false } difference)
            {
                pending.Add(new PendingLine(m.Id, payer, group, m.Segment, m.Programmes, (int)m.RiskClass, difference, true, rateSets[m.SegmentValue], m.RegionCode));
                counts.Supplementary++;
            }
            else
            {
                counts.Unchanged++;
            }
        }

        // Memberships billed before but no longer active in the month (ended, suspended or moved out): reversed.
        var gone = existing.Where(e => !InChunk(chunk, e.MembershipId) && !e.Amounts.IsZero).ToList();
        if (gone.Count > 0)
        {
            var info = (await r.QueryAsync<(long Id, string Segment, string Programmes, string RegionCode)>(new CommandDefinition(
                $"SELECT id, segment, programmes, region_code FROM memberships WHERE {db.Dialect.InList("id", "@ids")}",
                new { ids = db.Dialect.ListValue(gone.Select(g => g.MembershipId).Distinct().ToList()) }, cancellationToken: ct))).ToDictionary(x => x.Id);
            foreach (var g in gone)
            {
                var m = info[g.MembershipId];
                pending.Add(Reversal(g, m.Segment, m.Programmes, 1, m.RegionCode, rateSets));
                counts.Supplementary++;
            }
        }

        var payers = chunk.Where(m => m.Payer is not null).Select(m => m.Payer!).DistinctBy(p => p.Key).ToList();
        var known = existing.DistinctBy(e => e.PayerKey).ToDictionary(e => e.PayerKey, e => e.PayerId, StringComparer.Ordinal);
        return new ChunkRead(cursor, last, chunk.Count, billed, pending, payers, known, counts, problems);
    }

    /// <summary>Reverses what the membership was billed to payers other than <paramref name="keep"/> (all of them when null).</summary>
    private static void Reverse(List<PendingLine> pending, RunCounts counts, IEnumerable<BilledSum> sums, string? keep, MembershipToBill m, Dictionary<Segment, long> rateSets)
    {
        foreach (var old in sums)
        {
            if (old.PayerKey != keep && !old.Amounts.IsZero)
            {
                pending.Add(Reversal(old, m.Segment, m.Programmes, (int)m.RiskClass, m.RegionCode, rateSets));
                counts.Supplementary++;
            }
        }
    }

    /// <summary>Whether the chunk (in id order) holds the membership: a binary search, no set of ids per chunk.</summary>
    private static bool InChunk(List<MembershipToBill> chunk, long id)
    {
        int lo = 0, hi = chunk.Count - 1;
        while (lo <= hi)
        {
            var mid = lo + ((hi - lo) / 2);
            if (chunk[mid].Id == id)
            {
                return true;
            }

            (lo, hi) = chunk[mid].Id < id ? (mid + 1, hi) : (lo, mid - 1);
        }

        return false;
    }

    /// <summary>
    /// Writes a planned chunk: its payers (created if new), this run's bill of each (payer, group), the lines, and the bills'
    /// totals, with the run's cursor moved past the chunk (<paramref name="cursorMoves"/>, sent with the bills' totals). Payer
    /// and bill ids are remembered for the rest of the run (the run is the only writer of its bills).
    /// </summary>
    private static async Task<(int Lines, long Amount)> WriteChunkAsync(DbConnection c, DbTransaction tx, ISqlDialect dialect, long runId, Period period, BillingRates rates,
        ChunkRead read, Remembered remembered, DateTimeOffset now, (string Sql, object Args) cursorMoves, CancellationToken ct)
    {
        var pending = read.Lines;
        if (pending.Count == 0)
        {
            await c.ExecuteAsync(new CommandDefinition(cursorMoves.Sql, cursorMoves.Args, tx, cancellationToken: ct));
            return (0, 0);
        }

        remembered.ForgetIfFull();
        var (payers, bills) = (remembered.Payers, remembered.Bills);
        foreach (var (key, id) in read.KnownPayers)
        {
            payers[key] = id;
        }

        var unknown = read.Payers.Where(p => !payers.ContainsKey(p.Key)).ToList();
        if (unknown.Count > 0)
        {
            foreach (var (key, (id, region)) in await PayerStore.ResolveAsync(c, tx, dialect, unknown, now, ct))
            {
                payers[key] = id;
                remembered.Regions[id] = region;
            }
        }

        // What the chunk adds to each (payer, group)'s bill: a bill this chunk creates is inserted with it; bills already there
        // are updated (an update of a just-inserted bill would write every bill twice, with all its indexes).
        var deltas = pending.GroupBy(p => (payers[p.PayerKey], p.Group)).ToDictionary(g => g.Key, g => new Ledger.BillDelta(0,
            g.Sum(p => p.Amounts.Total), g.Sum(p => p.Amounts.Employer), g.Sum(p => p.Amounts.Worker), g.Sum(p => p.Amounts.Government), g.Sum(p => p.Amounts.Jp), g.Count()));
        var created = new HashSet<(long, string)>();
        var wanted = deltas.Keys.Where(w => !bills.ContainsKey(w)).ToList();
        if (wanted.Count > 0)
        {
            foreach (var (key, (id, isNew)) in await BillsAsync(c, tx, dialect, runId, period, rates, wanted, deltas, remembered, now, ct))
            {
                bills[key] = id;
                if (isNew)
                {
                    created.Add(key);
                }
            }
        }

        var month = period.ToString();
        await MultiRow.InsertAsync(c, tx, "bill_lines", LineColumns, pending, (p, v) =>
        {
            v.Bigint(bills[(payers[p.PayerKey], p.Group)]);
            v.Bigint(p.MembershipId);
            v.Text(month);
            v.Text(p.Segment);
            v.Text(p.Programmes);
            v.Int4(p.RiskClass);
            v.Bigint(p.Amounts.Base);
            v.Bigint(p.Amounts.Employer);
            v.Bigint(p.Amounts.Worker);
            v.Bigint(p.Amounts.Government);
            v.Bigint(p.Amounts.Jp);
            v.Bigint(p.Amounts.Total);
            v.Flag(p.Supplementary);
            v.Bigint(p.RateSetId);
            v.Text(p.RegionCode);
        }, ct);
        await Ledger.AddToBillsAsync(c, tx, dialect, deltas.Where(d => !created.Contains(d.Key)).Select(d => d.Value with { BillId = bills[d.Key] }).ToList(), ct, cursorMoves);
        return (pending.Count, pending.Sum(p => p.Amounts.Total));
    }

    private static readonly string[] LineColumns = ["bill_id", "membership_id", "period", "segment", "programmes", "risk_class", "base", "employer_amount", "worker_amount",
        "government_amount", "jp_amount", "amount", "supplementary", "rate_set_id", "region_code"];

    /// <summary>A line cancelling what a membership was billed to one payer for the month.</summary>
    private static PendingLine Reversal(BilledSum old, string segment, string programmes, int riskClass, string regionCode, Dictionary<Segment, long> rateSets)
    {
        var s = Enum.Parse<Segment>(segment);
        return new PendingLine(old.MembershipId, old.PayerKey, s == Segment.BPU ? "BPU" : "PU", segment, programmes, riskClass,
            new BilledAmounts(0, -old.Employer, -old.Worker, -old.Government, -old.Jp), true, rateSets.GetValueOrDefault(s, rateSets.Values.First()), regionCode);
    }

    /// <summary>
    /// This run's bill of each (payer, group), and whether this call created it: a new bill takes the payer's next sequence
    /// number and is inserted already holding the <paramref name="totals"/> of the lines about to be written to it. While
    /// every bill of the month is remembered (a month's first run that has forgotten nothing), the wanted ones are new and
    /// the first of their payers: not looked up.
    /// </summary>
    private static async Task<Dictionary<(long, string), (long Id, bool Created)>> BillsAsync(DbConnection c, DbTransaction tx, ISqlDialect dialect, long runId, Period period,
        BillingRates rates, List<(long PayerId, string Group)> wanted, Dictionary<(long, string), Ledger.BillDelta> totals, Remembered remembered, DateTimeOffset now,
        CancellationToken ct)
    {
        var known = remembered.AllBillsOfMonth ? [] : (await c.QueryAsync<(long Id, long PayerId, string Group, long RunId, long Sequence)>(new CommandDefinition(
            $"SELECT id, payer_id, bill_group, run_id, sequence FROM {dialect.FromKeys("bills", "payer_id", "@ids")} WHERE period = @p",
            new { p = period.ToString(), ids = dialect.ListValue(wanted.Select(w => w.PayerId).Distinct().ToList()) }, tx, cancellationToken: ct))).ToList();
        var result = known.Where(k => k.RunId == runId).ToDictionary(k => (k.PayerId, k.Group), k => (k.Id, false));
        var missing = wanted.Where(w => !result.ContainsKey(w)).ToList();
        if (missing.Count == 0)
        {
            return result;
        }

        var regions = remembered.Regions;
        var unknownRegions = missing.Select(m => m.PayerId).Where(id => !regions.ContainsKey(id)).Distinct().ToList();
        if (unknownRegions.Count > 0)
        {
            foreach (var (id, region) in await c.QueryAsync<(long Id, string Region)>(new CommandDefinition(
                $"SELECT id, region_code FROM {dialect.FromKeys("payers", "id", "@ids")}", new { ids = dialect.ListValue(unknownRegions) }, tx, cancellationToken: ct)))
            {
                regions[id] = region;
            }
        }

        var lastSequence = known.GroupBy(k => (k.PayerId, k.Group)).ToDictionary(g => g.Key, g => (int)g.Max(k => k.Sequence));
        var ids = await dialect.AllocateIdsAsync(c, tx, "bills", missing.Count, ct);
        var rows = new List<object?[]>(missing.Count);
        for (var i = 0; i < missing.Count; i++)
        {
            var (payerId, group) = missing[i];
            var sequence = lastSequence.GetValueOrDefault((payerId, group)) + 1;
            var number = string.Create(CultureInfo.InvariantCulture, $"IUR-{period.Year:D4}{period.Month:D2}-{payerId:D8}-{group}{sequence}");
            var t = totals[(payerId, group)];
            rows.Add([ids[i], number, payerId, period.ToString(), group, runId, sequence, group == "BPU" ? rates.BpuDue : rates.PuDue, regions[payerId], now,
                t.Amount, t.Employer, t.Worker, t.Government, t.Jp, t.Lines]);
            result[(payerId, group)] = (ids[i], true);
        }

        await MultiRow.InsertAsync(c, tx, "bills", ["id", "bill_number", "payer_id", "period", "bill_group", "run_id", "sequence", "due_date", "region_code", "created_at",
            "amount", "employer_amount", "worker_amount", "government_amount", "jp_amount", "line_count"], rows, ct);
        return result;
    }

    /// <summary>
    /// The month's ledger in the run's scope. A run of the whole country reads the totals from the month's bills (each
    /// holds the sums of its lines, kept in the same transaction as them; one index range on the period); a region's run
    /// reads its lines (a payer's bill can hold lines of other regions). The memberships billed are the run's own count;
    /// for a run begun before that count was kept, they are counted from the lines. Tests compare every summary with the
    /// same figures counted from the lines.
    /// </summary>
    private static async Task<BillingSummary> SummaryAsync(DbConnection c, Period period, string? region, string lineScope, long runId, bool resumed, RunCounts counts,
        List<string> problems, CancellationToken ct)
    {
        var s = await c.QuerySingleAsync<(long Lines, long Employer, long Worker, long Government, long Bills)>(new CommandDefinition(
            region is null
                ? """
                  SELECT COALESCE(SUM(line_count), 0), COALESCE(SUM(employer_amount), 0), COALESCE(SUM(worker_amount), 0), COALESCE(SUM(government_amount), 0), COUNT(*)
                  FROM bills WHERE period = @p AND line_count > 0
                  """
                : $"""
                  SELECT COUNT(*), COALESCE(SUM(l.employer_amount), 0), COALESCE(SUM(l.worker_amount), 0), COALESCE(SUM(l.government_amount), 0), COUNT(DISTINCT l.bill_id)
                  FROM bill_lines l WHERE l.period = @p AND {lineScope}
                  """, new { p = period.ToString(), ScopeRegion = region ?? "" }, cancellationToken: ct));
        var memberships = await c.ExecuteScalarAsync<long?>(new CommandDefinition("SELECT memberships_billed FROM billing_runs WHERE id = @runId", new { runId }, cancellationToken: ct))
            ?? await c.ExecuteScalarAsync<long>(new CommandDefinition(
                $"""
                SELECT COUNT(*) FROM (SELECT l.membership_id FROM bill_lines l WHERE l.period = @p AND {lineScope}
                GROUP BY l.membership_id HAVING SUM(l.amount) <> 0 OR SUM(l.government_amount) <> 0) x
                """, new { p = period.ToString(), ScopeRegion = region ?? "" }, cancellationToken: ct));
        return new BillingSummary(period.ToString(), region, runId, resumed, (int)memberships, (int)s.Bills, (int)s.Lines, counts.Created, counts.Supplementary, counts.Unchanged, counts.Skipped,
            s.Employer, s.Worker, s.Government, s.Employer + s.Worker, problems);
    }
}
