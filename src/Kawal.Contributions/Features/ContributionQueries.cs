using System.Data.Common;
using Dapper;
using Kawal.Data;
using Kawal.Identity;
using Kawal.Regions;

namespace Kawal.Contributions.Features;

public sealed record PayerDto(string Key, string Kind, string Name, string RegionCode);

public sealed record BillDto(string Number, string Period, string Group, string DueDate, long Amount, long Employer, long Worker, long Government, long Jp, int Lines,
    long Paid, long Outstanding, string Status, int MonthsLate, string Bucket, long Fine, decimal FineRate, string FineParameter, string FineCitation);

public sealed record PaymentDto(string Reference, string PaidOn, long Amount, string Channel, long Unallocated, string? Bill);

public sealed record StatementDto(PayerDto Payer, string AsOf, long Billed, long Paid, long Balance, long Credit, long Arrears, long Fines,
    IReadOnlyDictionary<string, long> Ageing, IReadOnlyList<BillDto> Bills, IReadOnlyList<PaymentDto> Payments);

public sealed record BudgetMonthDto(string Period, long Billed, long Paid, long Outstanding);

public sealed record BudgetDto(string RegionCode, string RegionName, string PayerKey, int Year, string AsOf, int Workers, IReadOnlyDictionary<string, int> WorkersByCategory,
    long MonthlyAmount, string? LatestPeriod, long BilledThisYear, long PaidThisYear, long OwedThisYear, IReadOnlyList<BudgetMonthDto> Months);

/// <summary>A region's unpaid bills: <c>Outstanding</c> is all that is unpaid, <c>Arrears</c> the part past its due date (the only part that is arrears),
/// <c>NotDue</c> the part not yet due (due on or after the as-of day; ageing bucket <c>current</c>).</summary>
public sealed record ArrearsRowDto(string RegionCode, string RegionName, int Bills, long Outstanding, IReadOnlyDictionary<string, long> Ageing, long EstimatedFines, long Arrears, long NotDue);

public sealed record ArrearsDto(string? RegionCode, string AsOf, long Outstanding, IReadOnlyDictionary<string, long> Ageing, IReadOnlyList<ArrearsRowDto> Rows, long Arrears, long NotDue);

public sealed record BillLineDto(long MembershipId, string Segment, string Programmes, long RiskClass, long Base, long Employer, long Worker, long Government, long Jp, long Amount, bool Supplementary, string RegionCode);

public sealed record BillDetailDto(string Number, string Payer, string Period, string Group, string DueDate, long Amount, long Paid, IReadOnlyList<BillLineDto> Lines,
    IReadOnlyDictionary<string, IReadOnlyList<RateDto>> Parameters);

public sealed record RateDto(string Id, decimal Value, string Citation);

public sealed record TotalsRowDto(string RegionCode, string RegionName, string Period, int Bills, long Billed, long Employer, long Worker, long Government, long Collected, long Outstanding, decimal CollectionRate);

/// <summary>
/// The contributions views, each scoped in SQL by the payer's region (an employer account: its own payer only). A
/// payer or budget outside the caller's scope is not found.
/// </summary>
public sealed class ContributionQueries(Database db, RegionLookup regions, TimeProvider time)
{
    private static string PayerScope(Caller c, string p) => c.EmployerNpp is not null ? $"{p}.payer_key = 'employer:' || @ScopeEmployer" : c.Scope.Sql(p + ".region_code");

    private static DynamicParameters Args(Caller c, object? values = null) => Kawal.Registry.Features.RegistryScope.Args(c, values);

    /// <summary>The payer lies in the region asked for (binds <c>@Within</c>); none asked: everything in the caller's scope.</summary>
    private static string Within(string? code) => code is null ? "1 = 1" : RegionScope.Of(RegionCode.Parse(code)).Sql("p.region_code", "@Within");

    public async Task<Page<PayerDto>> PayersAsync(Caller caller, string? query, string? kind, int page, int size, CancellationToken ct = default)
    {
        caller.Demand(Permission.ContributionsRead);
        await using var c = await db.OpenAsync(ct);
        var where = $"{PayerScope(caller, "p")} AND (@kind = '' OR p.kind = @kind) AND (@q = '' OR {db.Dialect.ContainsIgnoreCase("p.payer_key", "@q")} OR {db.Dialect.ContainsIgnoreCase("p.name", "@q")})";
        var args = Args(caller, new { kind = kind ?? "", q = query?.Trim() ?? "", skip = (page - 1) * size, size });
        var total = await c.ExecuteScalarAsync<int>(new CommandDefinition($"SELECT COUNT(*) FROM payers p WHERE {where}", args, cancellationToken: ct));
        var items = (await c.QueryAsync<PayerDto>(new CommandDefinition(
            $"SELECT payer_key AS Key, kind AS Kind, name AS Name, region_code AS RegionCode FROM payers p WHERE {where} ORDER BY p.payer_key LIMIT @size OFFSET @skip", args, cancellationToken: ct))).ToList();
        return new Page<PayerDto>(items, total, page, size);
    }

    public async Task<StatementDto?> StatementAsync(string payerKey, Caller caller, DateOnly? asOf = null, CancellationToken ct = default)
    {
        caller.Demand(Permission.ContributionsRead);
        var date = asOf ?? time.Today();
        await using var c = await db.OpenAsync(ct);
        var payer = await c.QuerySingleOrDefaultAsync<(long Id, string Key, string Kind, string Name, string RegionCode)?>(new CommandDefinition(
            $"SELECT id, payer_key, kind, name, region_code FROM payers p WHERE p.payer_key = @payerKey AND {PayerScope(caller, "p")}", Args(caller, new { payerKey }), cancellationToken: ct));
        if (payer is not { } p)
        {
            return null;
        }

        var bills = await BillsAsync(c, "b.payer_id = @id", new { id = p.Id }, date, ct);
        var payments = (await c.QueryAsync<(string Reference, DateOnly PaidOn, long Amount, string Channel, long Unallocated, string? Bill)>(new CommandDefinition(
            "SELECT y.reference, y.paid_on, y.amount, y.channel, y.unallocated, b.bill_number FROM payments y LEFT JOIN bills b ON b.id = y.bill_id WHERE y.payer_id = @id ORDER BY y.paid_on DESC, y.id DESC",
            new { id = p.Id }, cancellationToken: ct))).Select(y => new PaymentDto(y.Reference, y.PaidOn.ToIso(), y.Amount, y.Channel, y.Unallocated, y.Bill)).ToList();
        var billed = bills.Sum(b => b.Amount);
        var paid = payments.Sum(y => y.Amount);
        var credit = payments.Sum(y => y.Unallocated) + bills.Where(b => b.Amount < 0).Sum(b => -b.Amount - b.Paid);
        var ageing = Fines.Buckets.ToDictionary(k => k, k => bills.Where(b => b.Outstanding > 0 && b.Bucket == k).Sum(b => b.Outstanding));
        return new StatementDto(new PayerDto(p.Key, p.Kind, p.Name, p.RegionCode), date.ToIso(), billed, paid, billed - paid, credit,
            bills.Where(b => b.Status == "overdue").Sum(b => b.Outstanding), bills.Sum(b => b.Fine), ageing, bills, payments);
    }

    private static async Task<List<BillDto>> BillsAsync(DbConnection c, string where, object args, DateOnly asOf, CancellationToken ct)
    {
        var rows = (await c.QueryAsync<(long Id, string Number, string Period, string Group, DateOnly Due, long Amount, long Employer, long Worker, long Government, long Jp, long Lines, long Paid)>(new CommandDefinition(
            $"""
            SELECT b.id, b.bill_number, b.period, b.bill_group, b.due_date, b.amount, b.employer_amount, b.worker_amount, b.government_amount, b.jp_amount, b.line_count, b.paid
            FROM bills b WHERE {where} ORDER BY b.period DESC, b.sequence DESC
            """, args, cancellationToken: ct))).ToList();
        var parts = (await c.QueryAsync<(long BillId, long Amount, DateOnly PaidOn)>(new CommandDefinition(
            $"SELECT a.bill_id, a.amount, a.paid_on FROM allocations a JOIN bills b ON b.id = a.bill_id WHERE {where}", args, cancellationToken: ct))).ToLookup(a => a.BillId);
        return rows.Select(b =>
        {
            var outstanding = b.Amount > 0 ? b.Amount - b.Paid : 0;
            var fine = Fines.For(b.Group, b.Amount, b.Jp, b.Due, parts[b.Id].Select(a => new Fines.Part(a.Amount, a.PaidOn)), outstanding, asOf);
            var status = b.Amount < 0 ? "credit_note" : b.Amount == 0 ? "zero" : outstanding == 0 ? "paid" : asOf > b.Due ? "overdue" : b.Paid > 0 ? "partly_paid" : "open";
            return new BillDto(b.Number, b.Period, b.Group, b.Due.ToIso(), b.Amount, b.Employer, b.Worker, b.Government, b.Jp, (int)b.Lines, b.Paid, outstanding, status,
                fine.MonthsLate, outstanding > 0 ? Fines.Bucket(b.Due, asOf) : "", fine.Fine, fine.Rate, fine.ParameterId, fine.Citation);
        }).ToList();
    }

    private static readonly System.Text.Json.JsonSerializerOptions WebJson = new(System.Text.Json.JsonSerializerDefaults.Web);

    /// <summary>One bill with its lines and the parameter values (with citations) of its lines' rate sets.</summary>
    public async Task<BillDetailDto?> BillAsync(string number, Caller caller, CancellationToken ct = default)
    {
        caller.Demand(Permission.ContributionsRead);
        await using var c = await db.OpenAsync(ct);
        var bill = await c.QuerySingleOrDefaultAsync<(long Id, string Number, string Payer, string Period, string Group, DateOnly Due, long Amount, long Paid)?>(new CommandDefinition(
            $"SELECT b.id, b.bill_number, p.payer_key, b.period, b.bill_group, b.due_date, b.amount, b.paid FROM bills b JOIN payers p ON p.id = b.payer_id WHERE b.bill_number = @number AND {PayerScope(caller, "p")}",
            Args(caller, new { number }), cancellationToken: ct));
        if (bill is not { } b)
        {
            return null;
        }

        var lines = (await c.QueryAsync<LineRow>(new CommandDefinition(
            """
            SELECT membership_id AS MembershipId, segment AS Segment, programmes AS Programmes, risk_class AS RiskClass, base AS Base, employer_amount AS Employer,
                   worker_amount AS Worker, government_amount AS Government, jp_amount AS Jp, amount AS Amount, supplementary AS Supplementary, region_code AS RegionCode
            FROM bill_lines WHERE bill_id = @Id ORDER BY id
            """, new { b.Id }, cancellationToken: ct)))
            .Select(l => new BillLineDto(l.MembershipId, l.Segment, l.Programmes, l.RiskClass, l.Base, l.Employer, l.Worker, l.Government, l.Jp, l.Amount, l.Supplementary, l.RegionCode)).ToList();
        var sets = await c.QueryAsync<(string Segment, string Parameters)>(new CommandDefinition(
            "SELECT segment, parameters FROM rate_sets WHERE id IN (SELECT DISTINCT rate_set_id FROM bill_lines WHERE bill_id = @Id)", new { b.Id }, cancellationToken: ct));
        var parameters = sets.ToDictionary(s => s.Segment, s => (IReadOnlyList<RateDto>)(System.Text.Json.JsonSerializer.Deserialize<List<RateDto>>(s.Parameters, WebJson) ?? []));
        return new BillDetailDto(b.Number, b.Payer, b.Period, b.Group, b.Due.ToIso(), b.Amount, b.Paid, lines, parameters);
    }

    /// <summary>A bill line as read (settable: SQLite reports integers and booleans as Int64).</summary>
    private sealed class LineRow
    {
        public long MembershipId { get; set; }
        public string Segment { get; set; } = "";
        public string Programmes { get; set; } = "";
        public long RiskClass { get; set; }
        public long Base { get; set; }
        public long Employer { get; set; }
        public long Worker { get; set; }
        public long Government { get; set; }
        public long Jp { get; set; }
        public long Amount { get; set; }
        public bool Supplementary { get; set; }
        public string RegionCode { get; set; } = "";
    }

    /// <summary>A regional budget (APBD of a province or regency) as payer: whom it pays for, monthly amount, paid vs owed in the fiscal (calendar) year.</summary>
    public async Task<BudgetDto?> BudgetAsync(string regionCode, Caller caller, int? year = null, CancellationToken ct = default)
    {
        caller.Demand(Permission.ContributionsRead);
        var region = (await regions.LoadAsync(ct)).Find(regionCode);
        if (region is null || caller.EmployerNpp is not null || !caller.Scope.Covers(regionCode))
        {
            return null;
        }

        var today = time.Today();
        var y = year ?? today.Year;
        var key = $"apbd:{regionCode}";
        await using var c = await db.OpenAsync(ct);
        var workers = (await c.QueryAsync<(string Category, long Count)>(new CommandDefinition(
            """
            SELECT m.category, COUNT(*) FROM memberships m
            WHERE m.payer_kind = 'apbd' AND m.payer_ref = @regionCode AND m.status = 'active' AND m.valid_from <= @today AND (m.valid_to IS NULL OR m.valid_to > @today)
            GROUP BY m.category
            """, new { regionCode, today }, cancellationToken: ct))).ToDictionary(x => x.Category, x => (int)x.Count);
        var months = (await c.QueryAsync<(string Period, long Billed, long Paid)>(new CommandDefinition(
            """
            SELECT b.period, SUM(b.amount), SUM(b.paid) FROM bills b JOIN payers p ON p.id = b.payer_id
            WHERE p.payer_key = @key AND b.period >= @from AND b.period <= @to AND b.amount > 0 GROUP BY b.period ORDER BY b.period
            """, new { key, from = $"{y:D4}-01", to = $"{y:D4}-12" }, cancellationToken: ct))).Select(m => new BudgetMonthDto(m.Period, m.Billed, m.Paid, m.Billed - m.Paid)).ToList();
        var latest = await c.QuerySingleOrDefaultAsync<(string Period, long Amount)?>(new CommandDefinition(
            """
            SELECT b.period, SUM(b.amount) FROM bills b JOIN payers p ON p.id = b.payer_id WHERE p.payer_key = @key
            GROUP BY b.period ORDER BY b.period DESC LIMIT 1
            """, new { key }, cancellationToken: ct));
        return new BudgetDto(regionCode, region.Name, key, y, today.ToIso(), workers.Values.Sum(), workers, latest?.Amount ?? 0, latest?.Period,
            months.Sum(m => m.Billed), months.Sum(m => m.Paid), months.Sum(m => m.Outstanding), months);
    }

    /// <summary>Unpaid bills by ageing bucket, for the children of a region (national: provinces; province: regencies).</summary>
    public async Task<ArrearsDto> ArrearsAsync(string? regionCode, Caller caller, DateOnly? asOf = null, CancellationToken ct = default)
    {
        caller.Demand(Permission.ContributionsRead);
        var date = asOf ?? time.Today();
        var (prefix, scopeCode) = Level(regionCode, caller);
        var set = await regions.LoadAsync(ct);
        await using var c = await db.OpenAsync(ct);
        var rows = (await c.QueryAsync<(string Region, DateOnly Due, string Group, long Bills, long Outstanding, long Jp)>(new CommandDefinition(
            $"""
            SELECT substr(p.region_code, 1, {prefix}), b.due_date, b.bill_group, COUNT(*), SUM(b.amount - b.paid), SUM((b.amount - b.paid) * b.jp_amount / b.amount)
            FROM bills b JOIN payers p ON p.id = b.payer_id
            WHERE b.amount > 0 AND b.paid < b.amount AND {PayerScope(caller, "p")} AND {Within(scopeCode)}
            GROUP BY substr(p.region_code, 1, {prefix}), b.due_date, b.bill_group
            """, Args(caller, new { Within = scopeCode ?? "" }), cancellationToken: ct))).ToList();
        var result = rows.GroupBy(r => r.Region).Select(g =>
        {
            var ageing = Fines.Buckets.ToDictionary(k => k, k => g.Where(r => Fines.Bucket(r.Due, date) == k).Sum(r => r.Outstanding));
            var fines = g.Sum(r => Fines.For(r.Group, r.Outstanding, r.Jp, r.Due, [], r.Outstanding, date).Fine);
            // Only what is past its due date is arrears; a bill due on or after the as-of day is not yet due.
            var arrears = g.Where(r => r.Due < date).Sum(r => r.Outstanding);
            return new ArrearsRowDto(g.Key, set.Find(g.Key)?.Name ?? g.Key, (int)g.Sum(r => r.Bills), g.Sum(r => r.Outstanding), ageing, fines, arrears, g.Sum(r => r.Outstanding) - arrears);
        }).OrderByDescending(r => r.Arrears).ThenByDescending(r => r.Outstanding).ToList();
        var total = Fines.Buckets.ToDictionary(k => k, k => result.Sum(r => r.Ageing[k]));
        return new ArrearsDto(scopeCode, date.ToIso(), result.Sum(r => r.Outstanding), total, result, result.Sum(r => r.Arrears), result.Sum(r => r.NotDue));
    }

    /// <summary>Billing and collection per child region and contribution month (what the monev dashboards read).</summary>
    public async Task<IReadOnlyList<TotalsRowDto>> TotalsAsync(string? regionCode, string? from, string? to, Caller caller, CancellationToken ct = default)
    {
        caller.Demand(Permission.ContributionsRead);
        var (prefix, scopeCode) = Level(regionCode, caller);
        var set = await regions.LoadAsync(ct);
        if (from is not null && !Period.TryParse(from, out _))
        {
            throw new UsageException($"from must be a month YYYY-MM, not '{from}'", "from") { Indonesian = $"Bulan awal harus berupa bulan (tahun-bulan, misalnya 2025-03), bukan '{from}'." };
        }

        if (to is not null && !Period.TryParse(to, out _))
        {
            throw new UsageException($"to must be a month YYYY-MM, not '{to}'", "to") { Indonesian = $"Bulan akhir harus berupa bulan (tahun-bulan, misalnya 2025-03), bukan '{to}'." };
        }

        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<(string Region, string Period, long Bills, long Billed, long Employer, long Worker, long Government, long Collected)>(new CommandDefinition(
            $"""
            SELECT substr(p.region_code, 1, {prefix}), b.period, COUNT(*), SUM(b.amount), SUM(b.employer_amount), SUM(b.worker_amount), SUM(b.government_amount), SUM(b.paid)
            FROM bills b JOIN payers p ON p.id = b.payer_id
            WHERE b.amount > 0 AND b.period >= @from AND b.period <= @to AND {PayerScope(caller, "p")}
              AND {Within(scopeCode)}
            GROUP BY substr(p.region_code, 1, {prefix}), b.period ORDER BY b.period, 1
            """, Args(caller, new { Within = scopeCode ?? "", from = from ?? "0000-01", to = to ?? "9999-12" }), cancellationToken: ct));
        return rows.Select(r => new TotalsRowDto(r.Region, set.Find(r.Region)?.Name ?? r.Region, r.Period, (int)r.Bills, r.Billed, r.Employer, r.Worker, r.Government, r.Collected,
            r.Billed - r.Collected, r.Billed == 0 ? 0 : Math.Round(100m * r.Collected / r.Billed, 1))).ToList();
    }

    /// <summary>How many leading characters name a child of the region (2: provinces of the nation, 5: regencies of a province).</summary>
    private static (int Prefix, string? Scope) Level(string? regionCode, Caller caller)
    {
        var code = string.IsNullOrWhiteSpace(regionCode) ? caller.Scope.Code : regionCode.Trim();
        if (code is null)
        {
            return (2, null);
        }

        if (!RegionCode.TryParse(code, out _))
        {
            throw new UsageException($"region must be a province (35) or regency (35.07) code, not '{code}'", "region") { Indonesian = $"Wilayah '{code}' bukan kode provinsi (misalnya 35) atau kabupaten/kota (misalnya 35.07)." };
        }

        if (!caller.Scope.Covers(code) && caller.EmployerNpp is null)
        {
            throw new NotFoundException($"region {code} is outside your region") { Indonesian = $"Wilayah {code} di luar wilayah Anda." };
        }

        return (5, code);
    }
}
