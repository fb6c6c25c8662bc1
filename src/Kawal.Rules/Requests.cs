using Kawal.Rules.Benefits;
using Kawal.Rules.Contributions;

namespace Kawal.Rules;

/// <summary>A contribution calculation as asked on the command line or by the API (raw, validated by <see cref="Calc"/>).</summary>
public sealed record ContributionRequest(
    string? Segment,
    string? Period,
    long? Wage = null,
    int? RiskClass = null,
    long? DeclaredIncome = null,
    long? ContractValue = null,
    string? Package = null,
    int? ContractMonths = null,
    string? Programmes = null,
    bool LabourIntensive = false,
    bool JpDeferral = false,
    long? JhtAmount = null);

/// <summary>A benefit calculation; which fields matter depends on the kind (see docs/rules.md).</summary>
public sealed record BenefitRequest(
    string? DeathDate = null,
    int? ContributionMonths = null,
    int? Children = null,
    long? Wage = null,
    string? EventDate = null,
    decimal? Percentage = null,
    decimal? FunctionLoss = null,
    int? Months = null,
    string? StartDate = null,
    long? AverageWage = null,
    string? TerminationDate = null,
    long? Balance = null,
    int? MembershipYears = null,
    string? Purpose = null,
    bool PreviousPartialClaim = false,
    int? Year = null,
    long? Amount = null,
    string? Due = null,
    string? Paid = null,
    string? Programme = null);

/// <summary>The one entry point of the CLI and the API into the calculators: validates raw input, naming the field at fault.</summary>
public static class Calc
{
    public static readonly string[] BenefitKinds = ["jkm", "jkk-death", "jkk-disability", "stmb", "jp", "jkp", "jht-partial", "retirement-age", "fine"];

    private const long MaxAmount = 1_000_000_000_000_000; // Rp1 quadrillion: far above any wage or contract

    public static ContributionResult Contribution(ContributionRequest r)
    {
        if (!Enum.TryParse<Segment>(r.Segment, ignoreCase: true, out var segment) || !Enum.IsDefined(segment) || int.TryParse(r.Segment, out _))
        {
            throw new UsageException($"segment must be PU, BPU, JAKON or PMI, not '{r.Segment}'", "segment") { Indonesian = "Segmen harus salah satu dari: PU (penerima upah), BPU (bukan penerima upah), Jakon (jasa konstruksi), PMI (pekerja migran Indonesia)." };
        }

        if (!Kawal.Period.TryParse(r.Period, out var period))
        {
            throw new UsageException($"period must be a month in the form YYYY-MM, not '{r.Period}'", "period") { Indonesian = $"Bulan iuran harus berupa bulan (tahun-bulan, misalnya 2025-03), bukan '{r.Period}'." };
        }

        var programmes = string.IsNullOrWhiteSpace(r.Programmes) ? ProgrammeSets.Default(segment) : ProgrammeSets.Parse(r.Programmes);
        var input = new ContributionInput(segment, period, programmes,
            Wage: Money(r.Wage, "wage", required: segment == Segment.PU),
            RiskClass: r.RiskClass ?? 1,
            DeclaredIncome: Money(r.DeclaredIncome, "declaredIncome", required: segment == Segment.BPU),
            ContractValue: Money(r.ContractValue, "contractValue", required: false),
            Package: r.Package,
            ContractMonths: Count(r.ContractMonths, "contractMonths") ?? 0,
            JhtAmount: Money(r.JhtAmount, "jhtAmount", required: segment == Segment.PMI && programmes.HasFlag(Programmes.JHT)),
            LabourIntensive: r.LabourIntensive,
            JpDeferral: r.JpDeferral);
        if (segment != Segment.PU && (r.LabourIntensive || r.JpDeferral))
        {
            throw new UsageException("labourIntensive and jpDeferral apply to PU only", r.LabourIntensive ? "labourIntensive" : "jpDeferral") { Indonesian = "Industri padat karya dan penundaan JP hanya berlaku untuk segmen PU (penerima upah)." };
        }

        return ContributionCalculator.Calculate(input);
    }

    public static BenefitResult Benefit(string kind, BenefitRequest r, DateOnly today) => kind switch
    {
        "jkm" => DeathAndDisability.Jkm(Date(r.DeathDate, "deathDate")!.Value, Count(r.ContributionMonths, "contributionMonths", required: true)!.Value, Children(r)),
        "jkk-death" => DeathAndDisability.JkkDeath(Money(r.Wage, "wage", true), Date(r.EventDate, "eventDate", today)!.Value, Children(r)),
        "jkk-disability" => DeathAndDisability.JkkDisability(Money(r.Wage, "wage", true), Percent(r.Percentage, "percentage"), Percent(r.FunctionLoss, "functionLoss"), Date(r.EventDate, "eventDate", today)!.Value, Children(r)),
        "stmb" => Periodic.Stmb(Money(r.Wage, "wage", true), Count(r.Months, "months", required: true)!.Value, Date(r.EventDate, "eventDate", today)!.Value),
        "jp" => PensionAndSavings.Jp(Date(r.StartDate, "startDate")!.Value, Count(r.ContributionMonths, "contributionMonths", required: true)!.Value, Money(r.AverageWage, "averageWage", true)),
        "jkp" => Periodic.Jkp(Date(r.TerminationDate, "terminationDate")!.Value, Money(r.Wage, "wage", true)),
        "jht-partial" => PensionAndSavings.JhtPartial(Money(r.Balance, "balance", true), Count(r.MembershipYears, "membershipYears", required: true)!.Value, r.Purpose ?? "housing", r.PreviousPartialClaim, today),
        "retirement-age" => PensionAndSavings.RetirementAge(r.Year ?? throw new UsageException("year is required", "year") { Indonesian = "Isi tahun mulai pensiun." }),
        "fine" => LateFine.Calculate(Money(r.Amount, "amount", true), Date(r.Due, "due")!.Value, Date(r.Paid, "paid")!.Value, string.Equals(r.Programme, "JP", StringComparison.OrdinalIgnoreCase)),
        _ => throw new UsageException($"benefit kind must be one of {string.Join(", ", BenefitKinds)}, not '{kind}'", "kind") { Indonesian = "Pilih jenis manfaat dari daftar." },
    };

    /// <summary>A calculator input as the calculator page names it in Indonesian (<c>declaredIncome</c> → <c>penghasilan (BPU)</c>).</summary>
    public static string FieldId(string field) => field switch
    {
        "wage" => "upah sebulan",
        "declaredIncome" => "penghasilan (BPU)",
        "contractValue" => "nilai kontrak tanpa PPN (Jakon)",
        "contractMonths" => "lama kontrak PMI (bulan)",
        "jhtAmount" => "JHT PMI per bulan",
        "deathDate" => "tanggal meninggal",
        "contributionMonths" => "bulan iuran",
        "children" => "jumlah anak",
        "eventDate" => "tanggal kejadian",
        "percentage" => "persentase cacat",
        "functionLoss" => "persentase fungsi hilang",
        "months" => "lama tidak mampu bekerja (bulan)",
        "startDate" => "tanggal mulai pensiun",
        "averageWage" => "rata-rata upah terindeks (JP)",
        "terminationDate" => "tanggal PHK",
        "balance" => "saldo JHT",
        "membershipYears" => "lama kepesertaan (tahun)",
        "amount" => "jumlah iuran terlambat",
        "due" => "tanggal jatuh tempo",
        "paid" => "tanggal bayar",
        _ => field,
    };

    private static int Children(BenefitRequest r) => Count(r.Children, "children") ?? 2;

    private static long Money(long? value, string field, bool required)
    {
        if (value is null)
        {
            return required ? throw new UsageException($"{field} is required", field) { Indonesian = $"Isi {FieldId(field)}." } : 0;
        }

        return value switch
        {
            < 0 => throw new UsageException($"{field} must not be negative", field) { Indonesian = $"Isian {FieldId(field)} tidak boleh negatif." },
            0 when required => throw new UsageException($"{field} must be above zero", field) { Indonesian = $"Isian {FieldId(field)} harus lebih dari nol." },
            > MaxAmount => throw new UsageException($"{field} is implausibly large", field) { Indonesian = $"Isian {FieldId(field)} terlalu besar untuk masuk akal; periksa angkanya." },
            _ => value.Value,
        };
    }

    private static int? Count(int? value, string field, bool required = false) =>
        value is null ? (required ? throw new UsageException($"{field} is required", field) { Indonesian = $"Isi {FieldId(field)}." } : null)
        : value < 0 ? throw new UsageException($"{field} must not be negative", field) { Indonesian = $"Isian {FieldId(field)} tidak boleh negatif." }
        : value;

    private static decimal? Percent(decimal? value, string field) =>
        value is < 0 or > 100 ? throw new UsageException($"{field} must be between 0 and 100", field) { Indonesian = $"Isian {FieldId(field)} harus antara 0 dan 100." } : value;

    private static DateOnly? Date(string? text, string field, DateOnly? fallback = null)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback ?? throw new UsageException($"{field} is required (YYYY-MM-DD)", field) { Indonesian = $"Isi {FieldId(field)}." };
        }

        return Dates.TryParseIso(text, out var d) ? d : throw new UsageException($"{field} must be a date in the form YYYY-MM-DD, not '{text}'", field) { Indonesian = $"Isian {FieldId(field)} harus berupa tanggal (tahun-bulan-tanggal, misalnya 2025-03-31), bukan '{text}'." };
    }
}
