namespace Kawal.Rules.Benefits;

/// <summary>The claim kinds Kawal takes: programme and kind, e.g. <c>JKK</c> / <c>partial_disability</c>.</summary>
public static class ClaimKinds
{
    public static IReadOnlyList<(string Programme, string Kind)> All { get; } =
    [
        ("JKM", "death"), ("JKK", "death"), ("JKK", "total_disability"), ("JKK", "partial_disability"), ("JKK", "stmb"),
        ("JHT", "full"), ("JHT", "partial"), ("JP", "old_age"), ("JKP", "job_loss"),
    ];

    /// <summary>Reasons a JHT full payout may be claimed for (PP 46/2015 Art. 26 jo PP 60/2015; Permenaker 4/2022).</summary>
    public static IReadOnlyList<string> JhtReasons { get; } = ["retirement", "resignation", "termination", "pkwt_end", "death", "total_disability", "leaving_indonesia"];

    /// <summary>Causes of termination that give no JKP (PP 37/2021 Art. 20 jo PP 6/2025).</summary>
    public static IReadOnlyList<string> JkpExcluded { get; } = ["resignation", "retirement", "total_disability", "death", "pkwt_end"];

    public static IReadOnlyList<string> JkpCauses { get; } = ["termination", "bankruptcy", "closure", "resignation", "retirement", "total_disability", "death", "pkwt_end"];

    public static bool IsDeath(string programme, string kind) => kind == "death";

    public static bool Known(string programme, string kind) => All.Contains((programme, kind));
}

/// <summary>One eligibility rule applied to one claim: passed or not, why, and the regulation it comes from.</summary>
public sealed record RuleCheck(string Rule, bool Passed, string Message, string MessageEn, string? ParameterId = null, decimal? Value = null, string? Citation = null);

/// <summary>
/// What the registry and the contributions ledger say about a claim's participant, gathered by the claims module: the
/// eligibility rules are decided from these facts, never from what the claim form asserts.
/// </summary>
/// <param name="PaidMonths">Contribution months of the claim's programme whose bill is paid in full, up to the claim date.</param>
/// <param name="CoveredOnEvent">A membership's dates cover the event date and it includes the programme.</param>
/// <param name="StatusOnEvent">That membership's status on the event date (from its history): active or inactive (non-aktif).</param>
/// <param name="EndedOn">For JHT after resignation, termination or the end of a PKWT: the day the last membership with JHT ended (null: still running).</param>
/// <param name="FirstJoined">The first day of the participant's first membership with the programme.</param>
public sealed record ClaimFacts(
    string Programme,
    string Kind,
    DateOnly EventDate,
    DateOnly ClaimDate,
    DateOnly BirthDate,
    bool CoveredOnEvent,
    string? StatusOnEvent,
    DateOnly? EndedOn,
    DateOnly? FirstJoined,
    IReadOnlyList<Period> PaidMonths,
    string? Reason = null,
    bool PreviousPartial = false,
    bool AccidentReported = false,
    long JhtBalance = 0);

/// <summary>The eligibility rules of handbook §4, each with its parameter and citation (docs/claims.md lists them).</summary>
public static class ClaimRules
{
    public static IReadOnlyList<RuleCheck> Check(ClaimFacts f, ParameterCatalogue? catalogue = null)
    {
        var c = catalogue ?? ParameterCatalogue.Default;
        var list = new List<RuleCheck>();
        void Add(string rule, bool passed, string id, string en, string? param = null, decimal? value = null, string? citation = null) =>
            list.Add(new RuleCheck(rule, passed, id, en, param, value, citation ?? (param is null ? null : c.At(param, f.EventDate).Citation)));

        Add("event.not_future", f.EventDate <= f.ClaimDate, $"Tanggal kejadian {f.EventDate.ToIso()} tidak setelah tanggal klaim {f.ClaimDate.ToIso()}",
            $"The event date {f.EventDate.ToIso()} is not after the claim date {f.ClaimDate.ToIso()}", citation: "UU 40/2004 (SJSN) Art. 29-46: a benefit follows an event that has happened");
        var age = Age(f.BirthDate, f.EventDate);
        switch (f.Programme, f.Kind)
        {
            case ("JKM", _):
            case ("JKK", _):
                Covered(f, list, c);
                if (f.Programme == "JKK")
                {
                    var years = (int)c.Value("jkk.claim_deadline_years", f.EventDate);
                    var deadline = f.EventDate.AddYears(years);
                    Add("jkk.claim_deadline", f.ClaimDate <= deadline, $"Klaim JKK paling lambat {years} tahun setelah kecelakaan ({deadline.ToIso()})",
                        $"A JKK claim must be made within {years} years of the accident (by {deadline.ToIso()})", "jkk.claim_deadline_years", years);
                    Add("jkk.accident_report", f.AccidentReported, "Laporan kecelakaan kerja (tahap I) dilampirkan", "The work-accident report (stage I) is attached",
                        citation: "PP 44/2015 Art. 29 jo Permenaker 5/2021 Art. 42: the employer reports the accident within 2 × 24 hours");
                }

                break;
            case ("JHT", "full"):
                JhtFull(f, list, c, age, Add);
                break;
            case ("JHT", "partial"):
                Add("jht.balance", f.JhtBalance > 0, $"Saldo JHT {Trace.Rp(f.JhtBalance)}", $"JHT balance {Trace.Rp(f.JhtBalance)}", citation: "PP 46/2015 Art. 22: the benefit is the account's balance");
                var minYears = (int)c.Value("jht.partial.min_years", f.EventDate);
                var membership = f.FirstJoined is { } joined ? Years(joined, f.EventDate) : 0;
                Add("jht.partial.min_years", membership >= minYears, $"Kepesertaan {membership} tahun (minimum {minYears})", $"Membership {membership} years (minimum {minYears})", "jht.partial.min_years", minYears);
                Add("jht.partial.once", !f.PreviousPartial, f.PreviousPartial ? "Klaim sebagian JHT sudah pernah dibayar" : "Belum pernah klaim sebagian JHT",
                    f.PreviousPartial ? "A partial JHT claim was already paid" : "No partial JHT claim was paid before", "jht.partial.min_years", citation: "PP 60/2015 Art. 22(4): a partial payout once only");
                break;
            case ("JP", _):
                var pensionAge = (int)c.Value("jp.retirement_age", new DateOnly(f.EventDate.Year, 12, 31));
                Add("jp.retirement_age", age >= pensionAge, $"Usia {age} tahun pada {f.EventDate.ToIso()} (usia pensiun {pensionAge})",
                    $"Age {age} on {f.EventDate.ToIso()} (pension age {pensionAge})", "jp.retirement_age", pensionAge);
                Add("jp.contributions", f.PaidMonths.Count > 0, $"{f.PaidMonths.Count} bulan iuran JP dibayar", $"{f.PaidMonths.Count} JP contribution months paid",
                    citation: "PP 45/2015 Art. 15-16: a pension or the accumulated contributions are paid from contributions made");
                break;
            case ("JKP", _):
                Jkp(f, list, c, Add);
                break;
            default:
                throw new UsageException($"kind {f.Kind} is not a kind of {f.Programme}", "kind") { Indonesian = $"Jenis klaim itu tidak ada untuk program {f.Programme}." };
        }

        return list;
    }

    private static void Covered(ClaimFacts f, List<RuleCheck> list, ParameterCatalogue c)
    {
        list.Add(new RuleCheck("membership.covers", f.CoveredOnEvent,
            f.CoveredOnEvent ? $"Terdaftar dalam program {f.Programme} pada {f.EventDate.ToIso()}" : $"Tidak ada kepesertaan {f.Programme} yang mencakup {f.EventDate.ToIso()}",
            f.CoveredOnEvent ? $"Enrolled in {f.Programme} on {f.EventDate.ToIso()}" : $"No {f.Programme} membership covers {f.EventDate.ToIso()}",
            Citation: "UU 24/2011 (BPJS) Art. 14-15; PP 44/2015 Art. 5: benefits are for registered participants"));
        if (f.CoveredOnEvent)
        {
            var active = f.StatusOnEvent == "active";
            var months = c.Value("arrears.inactive.months", f.EventDate);
            list.Add(new RuleCheck("membership.active", active,
                active ? $"Status kepesertaan aktif pada {f.EventDate.ToIso()}" : $"Kepesertaan non-aktif pada {f.EventDate.ToIso()} (tunggakan iuran lebih dari {months} bulan)",
                active ? $"Membership active on {f.EventDate.ToIso()}" : $"Membership non-aktif on {f.EventDate.ToIso()} (contributions unpaid for more than {months} months)",
                "arrears.inactive.months", months, c.At("arrears.inactive.months", f.EventDate).Citation));
        }
    }

    private static void JhtFull(ClaimFacts f, List<RuleCheck> list, ParameterCatalogue c, int age, Action<string, bool, string, string, string?, decimal?, string?> add)
    {
        add("jht.balance", f.JhtBalance > 0, $"Saldo JHT {Trace.Rp(f.JhtBalance)}", $"JHT balance {Trace.Rp(f.JhtBalance)}", null, null, "PP 46/2015 Art. 22: the benefit is the account's balance");
        switch (f.Reason)
        {
            case "retirement":
                var min = (int)c.Value("jht.retirement_age", f.EventDate);
                add("jht.retirement_age", age >= min, $"Usia {age} tahun (usia pensiun JHT {min})", $"Age {age} (JHT retirement age {min})", "jht.retirement_age", min, null);
                break;
            case "resignation" or "termination" or "pkwt_end":
                var ended = f.EndedOn is { } e && e <= f.EventDate;
                add("jht.membership_ended", ended, ended ? $"Kepesertaan JHT berakhir {f.EndedOn!.Value.ToIso()}" : "Kepesertaan JHT masih berjalan pada tanggal berhenti bekerja",
                    ended ? $"JHT membership ended {f.EndedOn!.Value.ToIso()}" : "The JHT membership was still running on the day work stopped", null, null,
                    "Permenaker 4/2022 Art. 5-8: paid after the employment ends, reported by the employer");
                if (f.Reason != "pkwt_end" && c["jht.waiting_months"].TryAt(f.EventDate) is { } wait)
                {
                    var from = f.EventDate.AddMonths((int)wait.Value);
                    add("jht.waiting_period", f.ClaimDate >= from, $"Masa tunggu {wait.Value} bulan sejak berhenti bekerja: klaim mulai {from.ToIso()}",
                        $"Waiting period of {wait.Value} month(s) after leaving work: claims from {from.ToIso()}", "jht.waiting_months", wait.Value, wait.Citation);
                }

                break;
            case "death" or "total_disability" or "leaving_indonesia":
                add("jht.reason", true, $"Alasan {f.Reason}", $"Reason {f.Reason}", null, null, "PP 46/2015 Art. 26 jo PP 60/2015; Permenaker 4/2022 Art. 3");
                break;
            default:
                throw new UsageException($"reason must be one of {string.Join(", ", ClaimKinds.JhtReasons)}, not '{f.Reason}'", "reason") { Indonesian = "Pilih alasan klaim JHT penuh dari daftar." };
        }
    }

    private static void Jkp(ClaimFacts f, List<RuleCheck> list, ParameterCatalogue c, Action<string, bool, string, string, string?, decimal?, string?> add)
    {
        var d = f.EventDate;
        var deadlineMonths = (int)c.Value("jkp.claim_deadline_months", d);
        var deadline = d.AddMonths(deadlineMonths);
        add("jkp.claim_deadline", f.ClaimDate <= deadline, $"Klaim JKP paling lambat {deadlineMonths} bulan setelah PHK ({deadline.ToIso()})",
            $"A JKP claim must be made within {deadlineMonths} months of the termination (by {deadline.ToIso()})", "jkp.claim_deadline_months", deadlineMonths, null);
        if (f.Reason is null || !ClaimKinds.JkpCauses.Contains(f.Reason))
        {
            throw new UsageException($"reason must be one of {string.Join(", ", ClaimKinds.JkpCauses)}, not '{f.Reason}'", "reason") { Indonesian = "Pilih sebab PHK untuk klaim JKP dari daftar." };
        }

        var excluded = ClaimKinds.JkpExcluded.Contains(f.Reason);
        add("jkp.cause", !excluded, excluded ? $"Sebab berakhirnya kerja ({f.Reason}) tidak memberi hak JKP" : $"PHK karena {f.Reason}",
            excluded ? $"The cause of the end of work ({f.Reason}) gives no JKP" : $"Terminated: {f.Reason}", null, null, "PP 37/2021 Art. 20(2)-(3) jo PP 6/2025");
        var maxAge = (int)c.Value("jkp.eligibility.max_age_at_registration", d);
        var registeredAge = f.FirstJoined is { } joined ? Age(f.BirthDate, joined) : int.MaxValue;
        add("jkp.age_at_registration", registeredAge < maxAge, f.FirstJoined is null ? "Tidak pernah terdaftar JKP" : $"Usia saat terdaftar JKP {registeredAge} tahun (di bawah {maxAge})",
            f.FirstJoined is null ? "Never enrolled in JKP" : $"Age when enrolled in JKP {registeredAge} (must be under {maxAge})", "jkp.eligibility.max_age_at_registration", maxAge, null);
        var window = (int)c.Value("jkp.eligibility.window_months", d);
        var needed = (int)c.Value("jkp.eligibility.min_contribution_months", d);
        var end = Period.Of(d);
        var start = end.AddMonths(-(window - 1));
        var inWindow = f.PaidMonths.Count(p => p >= start && p <= end);
        add("jkp.min_contributions", inWindow >= needed, $"{inWindow} bulan iuran dibayar dalam {window} bulan {start}–{end} (minimum {needed})",
            $"{inWindow} contribution months paid in the {window} months {start}–{end} (minimum {needed})", "jkp.eligibility.min_contribution_months", needed, null);
        var consecutive = (int)c.Value("jkp.eligibility.consecutive_months", d);
        if (consecutive > 0)
        {
            var run = Math.Max(RunEndingAt(f.PaidMonths, end), RunEndingAt(f.PaidMonths, end.AddMonths(-1)));
            add("jkp.consecutive_months", run >= consecutive, $"{run} bulan iuran berturut-turut sebelum PHK (minimum {consecutive})",
                $"{run} consecutive contribution months before the termination (minimum {consecutive})", "jkp.eligibility.consecutive_months", consecutive, null);
        }
    }

    private static int RunEndingAt(IReadOnlyList<Period> months, Period end)
    {
        var set = months.ToHashSet();
        var n = 0;
        while (set.Contains(end.AddMonths(-n)))
        {
            n++;
        }

        return n;
    }

    /// <summary>Whole years of age on a date.</summary>
    public static int Age(DateOnly birth, DateOnly on) => Years(birth, on);

    public static int Years(DateOnly from, DateOnly to)
    {
        var years = to.Year - from.Year;
        if (to.Month < from.Month || (to.Month == from.Month && to.Day < from.Day))
        {
            years--;
        }

        return Math.Max(0, years);
    }
}
