using System.Collections.Concurrent;
using System.Data.Common;
using Dapper;
using Kawal.Rules;
using Kawal.Rules.Contributions;

namespace Kawal.Claims.Features;

/// <summary>What the registry and the ledger hold about one participant, read once per claim decision.</summary>
internal sealed class ParticipantFacts
{
    public long Id { get; set; }
    public string Nik { get; set; } = "";
    public string Name { get; set; } = "";
    public DateOnly BirthDate { get; set; }
    public string DomicileRegionCode { get; set; } = "";
    public List<MembershipRow> Memberships { get; } = [];
    public List<HistoryRow> History { get; } = [];
    public List<PaidLine> Paid { get; } = [];

    /// <summary>Months of a programme paid in full (distinct), up to a month.</summary>
    public List<Period> PaidMonths(string programme, Period until) =>
        [.. Paid.Where(l => Has(l.Programmes, programme) && Period.Parse(l.Period) <= until).Select(l => Period.Parse(l.Period)).Distinct().Order()];

    public static bool Has(string programmes, string programme) => programmes.Split(',').Any(p => p.Trim() == programme);

    /// <summary>The membership with the programme whose dates cover the day (valid_to is the first day not covered).</summary>
    public MembershipRow? Covering(string programme, DateOnly day) =>
        Memberships.Where(m => Has(m.Programmes, programme) && m.ValidFrom <= day && (m.ValidTo is null || m.ValidTo > day))
            .OrderByDescending(m => m.ValidFrom).ThenByDescending(m => m.Id).FirstOrDefault();

    /// <summary>The membership's status on a day, from its history: the value before the first status change after that day.</summary>
    public string StatusOn(MembershipRow m, DateOnly day)
    {
        var later = History.Where(h => h.MembershipId == m.Id && h.Change == "status" && DateOnly.FromDateTime(h.ChangedAt.UtcDateTime) > day).OrderBy(h => h.ChangedAt).ThenBy(h => h.Id).FirstOrDefault();
        var status = later?.OldValue ?? m.Status;
        return status == "ended" ? "active" : status;
    }

    /// <summary>The membership's wage on a day, from its history.</summary>
    public long WageOn(MembershipRow m, DateOnly day)
    {
        var later = History.Where(h => h.MembershipId == m.Id && h.Change == "wage" && DateOnly.FromDateTime(h.ChangedAt.UtcDateTime) > day).OrderBy(h => h.ChangedAt).ThenBy(h => h.Id).FirstOrDefault();
        return later?.OldWage ?? m.Wage;
    }

    public DateOnly? FirstJoined(string programme) =>
        Memberships.Where(m => Has(m.Programmes, programme)).Select(m => (DateOnly?)m.ValidFrom).Min();

    /// <summary>The last day a programme's memberships cover, when none is still running; null while one runs.</summary>
    public DateOnly? EndedOn(string programme)
    {
        var list = Memberships.Where(m => Has(m.Programmes, programme)).ToList();
        return list.Count == 0 || list.Any(m => m.ValidTo is null) ? null : list.Max(m => m.ValidTo);
    }

    public static async Task<ParticipantFacts?> LoadAsync(DbConnection c, DbTransaction? tx, string nik, CancellationToken ct)
    {
        var p = await c.QuerySingleOrDefaultAsync<ParticipantFacts>(new CommandDefinition(
            "SELECT id AS Id, nik AS Nik, name AS Name, birth_date AS BirthDate, domicile_region_code AS DomicileRegionCode FROM participants WHERE nik = @nik OR kpj = @nik",
            new { nik }, tx, cancellationToken: ct));
        if (p is null)
        {
            return null;
        }

        p.Memberships.AddRange(await c.QueryAsync<MembershipRow>(new CommandDefinition(
            """
            SELECT id AS Id, segment AS Segment, programmes AS Programmes, wage AS Wage, valid_from AS ValidFrom, valid_to AS ValidTo, status AS Status, region_code AS RegionCode
            FROM memberships WHERE participant_id = @Id ORDER BY id
            """, new { p.Id }, tx, cancellationToken: ct)));
        p.History.AddRange(await c.QueryAsync<HistoryRow>(new CommandDefinition(
            """
            SELECT h.id AS Id, h.membership_id AS MembershipId, h.changed_at AS ChangedAt, h.change AS Change, h.old_wage AS OldWage, h.old_value AS OldValue
            FROM membership_history h JOIN memberships m ON m.id = h.membership_id WHERE m.participant_id = @Id AND h.change IN ('wage', 'status')
            """, new { p.Id }, tx, cancellationToken: ct)));
        p.Paid.AddRange(await c.QueryAsync<PaidLine>(new CommandDefinition(
            """
            SELECT l.id AS Id, l.membership_id AS MembershipId, l.period AS Period, l.segment AS Segment, l.programmes AS Programmes, l.base AS Base, l.jp_amount AS JpAmount
            FROM bill_lines l JOIN bills b ON b.id = l.bill_id JOIN memberships m ON m.id = l.membership_id
            WHERE m.participant_id = @Id AND l.amount > 0 AND b.amount > 0 AND b.paid >= b.amount
            """, new { p.Id }, tx, cancellationToken: ct)));
        return p;
    }
}

internal sealed class MembershipRow
{
    public long Id { get; set; }
    public string Segment { get; set; } = "";
    public string Programmes { get; set; } = "";
    public long Wage { get; set; }
    public DateOnly ValidFrom { get; set; }
    public DateOnly? ValidTo { get; set; }
    public string Status { get; set; } = "";
    public string RegionCode { get; set; } = "";
}

internal sealed class HistoryRow
{
    public long Id { get; set; }
    public long MembershipId { get; set; }
    public DateTimeOffset ChangedAt { get; set; }
    public string Change { get; set; } = "";
    public long? OldWage { get; set; }
    public string? OldValue { get; set; }
}

internal sealed class PaidLine
{
    public long Id { get; set; }
    public long MembershipId { get; set; }
    public string Period { get; set; } = "";
    public string Segment { get; set; } = "";
    public string Programmes { get; set; } = "";
    public long Base { get; set; }
    public long JpAmount { get; set; }
}

/// <summary>The JHT part of a bill line, recomputed by the rules engine from the line's month, segment, programmes and base.</summary>
internal static class JhtPart
{
    private static readonly ConcurrentDictionary<(string, string, string, long, int), long> Cache = new();

    public static long Of(string segment, string period, string programmes, long @base, int riskClass) =>
        !ParticipantFacts.Has(programmes, "JHT") || !Enum.TryParse<Segment>(segment, out var seg) || seg is Segment.JAKON or Segment.PMI
            ? 0
            : Cache.GetOrAdd((segment, period, programmes, @base, riskClass), k =>
            {
                var r = ContributionCalculator.Calculate(new ContributionInput(seg, Kawal.Period.Parse(k.Item2), ProgrammeSets.Parse(k.Item3),
                    Wage: seg == Segment.BPU ? 0 : k.Item4, RiskClass: Math.Clamp(k.Item5, 1, 5), DeclaredIncome: seg == Segment.BPU ? k.Item4 : 0));
                return r.Lines.Where(l => l.Programme == "JHT").Sum(l => l.Total);
            });
}
