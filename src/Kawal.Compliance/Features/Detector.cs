using System.Data.Common;
using System.Globalization;
using Dapper;
using Kawal.Contributions.Features;
using Kawal.Data;
using Kawal.Identity;
using Kawal.Rules;

namespace Kawal.Compliance.Features;

/// <summary>
/// <c>kawal compliance detect</c>: finds the five kinds of non-compliance (docs/compliance.md § Detection) and keeps one
/// open case per kind and subject: a new finding opens a case, a finding still there updates the case's evidence (and
/// amount), a case whose finding is gone while no letter was sent yet is closed as resolved. Safe to run again.
/// </summary>
public sealed class ComplianceDetector(Database db, TimeProvider time)
{
    /// <summary>Programmes an employer of a size must enrol its PU workers in (handbook §4.6; Perpres 109/2013 Art. 6 staged registration).</summary>
    public static IReadOnlyList<string> RequiredProgrammes(string size) => size is "medium" or "large" ? ["JKK", "JKM", "JHT", "JP"] : ["JKK", "JKM", "JHT"];

    public const string ProgrammeCitation = "Perpres 109/2013 Art. 6; PP 44/2015, PP 45/2015, PP 46/2015 (handbook §4.6: medium/large employers JKK, JKM, JHT, JP; micro/small at least JKK, JKM, JHT)";

    internal sealed record Finding(string Kind, string SubjectKey, long? EmployerId, string? Nib, string Name, string RegionCode, long Amount, object Evidence);

    private sealed class Active
    {
        public long EmployerId { get; set; }
        public string Npp { get; set; } = "";
        public string? Nib { get; set; }
        public string Name { get; set; } = "";
        public string RegionCode { get; set; } = "";
        public string Size { get; set; } = "";
        public string Kind { get; set; } = "";
        public string MembershipRegion { get; set; } = "";
        public string Programmes { get; set; } = "";
        public long Wage { get; set; }
    }

    /// <summary>When a detection is in progress (on any node), wait for it instead of refusing; <see cref="Waiting"/> is told once.</summary>
    public bool Wait { get; set; }

    public Action<LeaseHolding>? Waiting { get; set; }

    public async Task<DetectionSummary> RunAsync(DateOnly? asOf, Caller caller, CancellationToken ct = default)
    {
        caller.Demand(Permission.ComplianceWrite);
        var day = asOf ?? time.Today();
        if (day > time.Today())
        {
            throw new UsageException("asOf must not be in the future", "asOf") { Indonesian = "Tanggal acuan deteksi tidak boleh di masa depan." };
        }

        // One detection at a time, on any node: two would both open a case for one finding. Its one transaction renews
        // the lease (the fence).
        await using var lease = await new Leases(db, time).AcquireAsync(new LeaseRequest("compliance-detect", "all", caller.Actor,
            "deteksi ketidakpatuhan", "compliance detection"), Wait, Waiting, ct);
        var now = time.GetUtcNow();
        await using var c = await db.OpenAsync(ct);
        var findings = new List<Finding>();
        findings.AddRange(await UnregisteredAsync(c, ct));
        // Active PU memberships are streamed employer by employer (bounded memory at national scale: millions of rows);
        // each employer's wage and programme checks run when its rows are complete.
        var minimum = await MinimumWagesAsync(c, day, ct);
        var registered = new Dictionary<long, int>();
        var employer = new List<Active>();
        void Close()
        {
            if (employer.Count == 0)
            {
                return;
            }

            registered[employer[0].EmployerId] = employer.Count;
            findings.AddRange(Underpaid(employer, minimum, day));
            findings.AddRange(MissingProgrammes(employer));
            employer.Clear();
        }

        await foreach (var a in c.QueryUnbufferedAsync<Active>(
            """
            SELECT e.id AS EmployerId, e.npp AS Npp, e.nib AS Nib, e.name AS Name, e.region_code AS RegionCode, e.size AS Size, e.kind AS Kind,
                   m.region_code AS MembershipRegion, m.programmes AS Programmes, m.wage AS Wage
            FROM memberships m JOIN employers e ON e.id = m.employer_id
            WHERE m.segment = 'PU' AND m.status IN ('active', 'inactive') AND m.valid_from <= @day AND (m.valid_to IS NULL OR m.valid_to > @day)
            ORDER BY m.employer_id
            """, new { day }, commandTimeout: Database.JobTimeout).WithCancellation(ct))
        {
            if (employer.Count > 0 && employer[0].EmployerId != a.EmployerId)
            {
                Close();
            }

            employer.Add(a);
        }

        Close();
        findings.AddRange(await UnderReportedWorkersAsync(c, registered, ct));
        findings.AddRange(await ArrearsAsync(c, day, ct));
        // In a stable order, so that case numbers do not depend on the order rows come back in (PostgreSQL does not promise one).
        findings = findings.Where(f => caller.Scope.Covers(f.RegionCode)).OrderBy(f => f.Kind, StringComparer.Ordinal).ThenBy(f => f.SubjectKey, StringComparer.Ordinal).ToList();

        await using var tx = await c.BeginTransactionAsync(ct);
        await lease.FenceAsync(c, tx, ct);
        var open = (await c.QueryAsync<(long Id, string Kind, string SubjectKey, string Status, string Evidence, long Amount, string RegionCode)>(new CommandDefinition(
            "SELECT id, kind, subject_key, status, evidence, amount, region_code FROM compliance_cases WHERE status <> 'closed'", transaction: tx, cancellationToken: ct)))
            .Where(x => caller.Scope.Covers(x.RegionCode)).ToDictionary(x => (x.Kind, x.SubjectKey));
        int created = 0, updated = 0, resolved = 0;
        var seen = new HashSet<(string, string)>();
        foreach (var f in findings)
        {
            seen.Add((f.Kind, f.SubjectKey));
            var evidence = Json.Write(f.Evidence);
            if (open.TryGetValue((f.Kind, f.SubjectKey), out var existing))
            {
                if (existing.Evidence != evidence || existing.Amount != f.Amount)
                {
                    await c.ExecuteAsync(new CommandDefinition("UPDATE compliance_cases SET evidence = @evidence, amount = @Amount, updated_at = @now WHERE id = @Id",
                        new { evidence, f.Amount, now, existing.Id }, tx, cancellationToken: ct));
                    updated++;
                }

                continue;
            }

            var id = await c.ExecuteScalarAsync<long>(new CommandDefinition(
                """
                INSERT INTO compliance_cases (case_number, kind, subject_key, employer_id, nib, name, region_code, status, evidence, amount, detected_on, step_due, created_at, updated_at)
                VALUES (@tmp, @Kind, @SubjectKey, @EmployerId, @Nib, @Name, @RegionCode, 'detected', @evidence, @Amount, @day, @due, @now, @now) RETURNING id
                """, new { tmp = Guid.NewGuid().ToString("N"), f.Kind, f.SubjectKey, f.EmployerId, f.Nib, f.Name, f.RegionCode, evidence, f.Amount, day, due = WorkingDays.Add(day, Steps.Days(day)), now },
                tx, cancellationToken: ct));
            await c.ExecuteAsync(new CommandDefinition("UPDATE compliance_cases SET case_number = @number WHERE id = @id",
                new { number = string.Create(CultureInfo.InvariantCulture, $"KPT-{day.Year}-{id:D6}"), id }, tx, cancellationToken: ct));
            await Cases.EventAsync(c, tx, id, "detected", day, caller.Actor, evidence, now, ct);
            created++;
        }

        foreach (var o in open.Values.Where(o => o.Status == "detected" && !seen.Contains((o.Kind, o.SubjectKey))))
        {
            await c.ExecuteAsync(new CommandDefinition("UPDATE compliance_cases SET status = 'closed', closed_on = @day, close_reason = 'resolved', step_due = NULL, updated_at = @now WHERE id = @Id",
                new { day, now, o.Id }, tx, cancellationToken: ct));
            await Cases.EventAsync(c, tx, o.Id, "closed", day, caller.Actor, "{\"reason\":\"resolved\",\"note\":\"the finding is gone\"}", now, ct);
            resolved++;
        }

        await AuditLog.AppendAsync(c, tx, caller, now, new AuditEvent("compliance.detect", "compliance_cases", null,
            After: new { asOf = day.ToIso(), created, updated, resolved, findings = findings.Count }, RegionCode: caller.Scope.Code), ct);
        await tx.CommitAsync(ct);
        var counts = findings.GroupBy(f => f.Kind).ToDictionary(g => g.Key, g => g.Count());
        return new DetectionSummary(day.ToIso(), counts, created, updated, resolved);
    }

    /// <summary>PWBD: businesses in the imported registry with workers whose NIB no registered employer has.</summary>
    private static async Task<IEnumerable<Finding>> UnregisteredAsync(DbConnection c, CancellationToken ct) =>
        (await c.QueryAsync<(string Nib, string Name, string Region, string? Sector, long Workers, string Source)>(new CommandDefinition(
            """
            SELECT b.nib, b.name, b.region_code, b.sector, b.workers, b.source FROM business_registry b
            WHERE b.workers > 0 AND NOT EXISTS (SELECT 1 FROM employers e WHERE e.nib = b.nib)
            """, commandTimeout: Database.JobTimeout, cancellationToken: ct)))
        .Select(b => new Finding("pwbd", "nib:" + b.Nib, null, b.Nib, b.Name, b.Region, 0,
            new { nib = b.Nib, sector = b.Sector, reportedWorkers = b.Workers, source = b.Source, rule = "UU 24/2011 Art. 15(1): every employer registers itself and its workers" }));

    /// <summary>PDS Tenaga Kerja: the business reports more workers than the employer has active PU members.</summary>
    private static async Task<IEnumerable<Finding>> UnderReportedWorkersAsync(DbConnection c, Dictionary<long, int> registered, CancellationToken ct)
    {
        var rows = await c.QueryAsync<(long EmployerId, string Npp, string Nib, string Name, string Region, long Workers, string Source)>(new CommandDefinition(
            "SELECT e.id, e.npp, b.nib, e.name, e.region_code, b.workers, b.source FROM business_registry b JOIN employers e ON e.nib = b.nib",
            commandTimeout: Database.JobTimeout, cancellationToken: ct));
        return rows.Where(r => r.Workers > registered.GetValueOrDefault(r.EmployerId)).Select(r => new Finding("pds_workers", "npp:" + r.Npp, r.EmployerId, r.Nib, r.Name, r.Region, 0,
            new { npp = r.Npp, nib = r.Nib, reportedWorkers = r.Workers, registeredWorkers = registered.GetValueOrDefault(r.EmployerId), missing = r.Workers - registered.GetValueOrDefault(r.EmployerId),
                source = r.Source, rule = "UU 24/2011 Art. 15(1); PP 86/2013 Art. 5: all workers must be registered" }));
    }

    /// <summary>The minimum wage of a membership's region in the year of <paramref name="day"/>: the regency's UMK where imported, else the province's UMP.</summary>
    private static async Task<Func<string, (string Kind, long Amount, string Source)?>> MinimumWagesAsync(DbConnection c, DateOnly day, CancellationToken ct)
    {
        var wages = (await c.QueryAsync<(string Region, string Kind, long Amount, string Source)>(new CommandDefinition(
            "SELECT region_code, kind, amount, source FROM minimum_wages WHERE year = @year", new { year = day.Year }, cancellationToken: ct)))
            .ToDictionary(w => (w.Region, w.Kind));
        return region => wages.TryGetValue((region, "UMK"), out var umk) ? (umk.Kind, umk.Amount, umk.Source)
            : wages.TryGetValue((region.Split('.')[0], "UMP"), out var ump) ? (ump.Kind, ump.Amount, ump.Source) : null;
    }

    /// <summary>PDS Upah: one employer's PU wages below the minimum wage of the year.</summary>
    private static IEnumerable<Finding> Underpaid(List<Active> employer, Func<string, (string Kind, long Amount, string Source)?> minimum, DateOnly day)
    {
        var under = employer.Select(a => (a, min: minimum(a.MembershipRegion))).Where(x => x.min is { } m && x.a.Wage < m.Amount).ToList();
        if (under.Count == 0)
        {
            yield break;
        }

        var e = employer[0];
        var (kind, amount, source) = under[0].min!.Value;
        yield return new Finding("pds_wage", "npp:" + e.Npp, e.EmployerId, e.Nib, e.Name, e.RegionCode, 0,
            new { npp = e.Npp, year = day.Year, minimumKind = kind, minimum = amount, minimumSource = source, workersBelow = under.Count, lowestWage = under.Min(x => x.a.Wage),
                rule = "PP 44/2015 Art. 1 (reported wage), PP 36/2021 Art. 23 (no wage below the minimum); PP 86/2013 Art. 5" });
    }

    /// <summary>PDS Program: a private or state/regional enterprise whose PU workers lack a programme its size requires.</summary>
    private static IEnumerable<Finding> MissingProgrammes(List<Active> employer)
    {
        var e = employer[0];
        if (e.Kind is not ("private" or "bumn" or "bumd"))
        {
            yield break;
        }

        var required = RequiredProgrammes(e.Size);
        var lacking = employer.Select(a => (a, missing: required.Where(p => !a.Programmes.Split(',').Contains(p)).ToList())).Where(x => x.missing.Count > 0).ToList();
        if (lacking.Count > 0)
        {
            yield return new Finding("pds_programme", "npp:" + e.Npp, e.EmployerId, e.Nib, e.Name, e.RegionCode, 0,
                new { npp = e.Npp, size = e.Size, required, workersLacking = lacking.Count, missing = lacking.SelectMany(x => x.missing).Distinct().Order().ToList(), rule = ProgrammeCitation });
        }
    }

    private sealed class Overdue
    {
        public long EmployerId { get; set; }
        public string Npp { get; set; } = "";
        public string? Nib { get; set; }
        public string Name { get; set; } = "";
        public string RegionCode { get; set; } = "";
        public DateOnly DueDate { get; set; }
        public long Open { get; set; }
    }

    /// <summary>Arrears: an employer's unpaid bills past due, with the oldest at least <c>arrears.inactive.months</c> overdue; by ageing bucket.</summary>
    private static async Task<IEnumerable<Finding>> ArrearsAsync(DbConnection c, DateOnly day, CancellationToken ct)
    {
        var months = (int)ParameterCatalogue.Default.Value("arrears.inactive.months", day);
        var rows = (await c.QueryAsync<Overdue>(new CommandDefinition(
            """
            SELECT e.id AS EmployerId, e.npp AS Npp, e.nib AS Nib, e.name AS Name, e.region_code AS RegionCode, b.due_date AS DueDate, b.amount - b.paid AS Open
            FROM bills b JOIN payers p ON p.id = b.payer_id JOIN employers e ON p.kind = 'employer' AND p.reference = e.npp
            WHERE b.amount > 0 AND b.paid < b.amount AND b.due_date < @day
            """, new { day }, commandTimeout: Database.JobTimeout, cancellationToken: ct))).ToList();
        var list = new List<Finding>();
        foreach (var g in rows.GroupBy(r => r.EmployerId))
        {
            var oldest = g.Min(r => r.DueDate);
            if (oldest.AddMonths(months) > day)
            {
                continue;
            }

            var e = g.First();
            var buckets = g.GroupBy(r => Fines.Bucket(r.DueDate, day)).OrderBy(b => b.Key).ToDictionary(b => b.Key, b => b.Sum(r => r.Open));
            list.Add(new Finding("arrears", "npp:" + e.Npp, e.EmployerId, e.Nib, e.Name, e.RegionCode, g.Sum(r => r.Open),
                new { npp = e.Npp, outstanding = g.Sum(r => r.Open), bills = g.Count(), oldestDue = oldest.ToIso(), buckets, thresholdMonths = months,
                    rule = "UU 24/2011 Art. 19; PP 86/2013 (arrears); threshold arrears.inactive.months" }));
        }

        return list;
    }
}
