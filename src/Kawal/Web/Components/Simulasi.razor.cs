using System.Text.Json;
using System.Text.Json.Nodes;
using Kawal.Rules;
using Kawal.Rules.Benefits;
using Kawal.Rules.Contributions;
using Kawal.Ui;
using Microsoft.AspNetCore.Components;

namespace Kawal.Web.Components;

public partial class Simulasi
{
    private static readonly (string Code, string Label)[] Segments = [("PU", "PU – penerima upah"), ("BPU", "BPU – bukan penerima upah"), ("JAKON", "Jakon – jasa konstruksi"), ("PMI", "PMI – pekerja migran")];

    private static (string Code, string Label)[] Kinds =>
    [
        ("jkm", L.T("JKM – kematian", "JKM – death")), ("jkk-death", L.T("JKK – meninggal karena kecelakaan kerja", "JKK – death from a work accident")),
        ("jkk-disability", L.T("JKK – cacat", "JKK – disability")), ("stmb", L.T("STMB – upah selama tidak mampu bekerja", "STMB – wage while unfit for work")),
        ("jp", L.T("JP – pensiun bulanan", "JP – monthly pension")), ("jkp", L.T("JKP – kehilangan pekerjaan", "JKP – job loss")),
        ("jht-partial", L.T("JHT – klaim sebagian", "JHT – partial claim")), ("retirement-age", L.T("Usia pensiun", "Retirement age")),
        ("fine", L.T("Denda keterlambatan iuran", "Late-payment fine")),
    ];

    private static readonly JsonSerializerOptions WebJson = new(JsonSerializerDefaults.Web);

    private ContributionResult? _contribution;
    private BenefitResult? _benefit;
    private string? _error;

    [SupplyParameterFromQuery(Name = "hitung")] public string? Hitung { get; set; }
    [SupplyParameterFromQuery(Name = "segment")] public string? Segment { get; set; }
    [SupplyParameterFromQuery(Name = "period")] public string? Period { get; set; }
    [SupplyParameterFromQuery(Name = "wage")] public string? Wage { get; set; }
    [SupplyParameterFromQuery(Name = "riskClass")] public int? RiskClass { get; set; }
    [SupplyParameterFromQuery(Name = "declaredIncome")] public string? DeclaredIncome { get; set; }
    [SupplyParameterFromQuery(Name = "contractValue")] public string? ContractValue { get; set; }
    [SupplyParameterFromQuery(Name = "package")] public string? Package { get; set; }
    [SupplyParameterFromQuery(Name = "contractMonths")] public int? ContractMonths { get; set; }
    [SupplyParameterFromQuery(Name = "programmes")] public string[]? Programmes { get; set; }
    [SupplyParameterFromQuery(Name = "jhtAmount")] public string? JhtAmount { get; set; }
    [SupplyParameterFromQuery(Name = "labourIntensive")] public bool? LabourIntensive { get; set; }
    [SupplyParameterFromQuery(Name = "jpDeferral")] public bool? JpDeferral { get; set; }
    [SupplyParameterFromQuery(Name = "kind")] public string? Kind { get; set; }
    [SupplyParameterFromQuery(Name = "bwage")] public string? BWage { get; set; }
    [SupplyParameterFromQuery(Name = "date")] public string? Date { get; set; }
    [SupplyParameterFromQuery(Name = "contributionMonths")] public int? ContributionMonths { get; set; }
    [SupplyParameterFromQuery(Name = "children")] public int? Children { get; set; }
    [SupplyParameterFromQuery(Name = "percentage")] public string? Percentage { get; set; }
    [SupplyParameterFromQuery(Name = "months")] public int? Months { get; set; }
    [SupplyParameterFromQuery(Name = "averageWage")] public string? AverageWage { get; set; }
    [SupplyParameterFromQuery(Name = "balance")] public string? Balance { get; set; }
    [SupplyParameterFromQuery(Name = "membershipYears")] public int? MembershipYears { get; set; }
    [SupplyParameterFromQuery(Name = "purpose")] public string? Purpose { get; set; }
    [SupplyParameterFromQuery(Name = "year")] public int? Year { get; set; }
    [SupplyParameterFromQuery(Name = "amount")] public string? Amount { get; set; }
    [SupplyParameterFromQuery(Name = "due")] public string? Due { get; set; }
    [SupplyParameterFromQuery(Name = "paid")] public string? Paid { get; set; }

    [Inject] private TimeProvider Clock { get; set; } = default!;

    protected override void OnInitialized()
    {
        try
        {
            if (Hitung == "iuran")
            {
                _contribution = Calc.Contribution(new ContributionRequest(Segment, Period, Money(Wage, "wage"), RiskClass,
                    Money(DeclaredIncome, "declaredIncome"), Money(ContractValue, "contractValue"), string.IsNullOrEmpty(Package) ? null : Package,
                    ContractMonths, Programmes is { Length: > 0 } p ? string.Join(",", p) : null, LabourIntensive == true, JpDeferral == true, Money(JhtAmount, "jhtAmount")));
            }
            else if (Hitung == "manfaat")
            {
                _benefit = Calc.Benefit(Kind ?? "", BenefitRequest(), Clock.Today());
            }
        }
        catch (UsageException e)
        {
            _error = L.T($"Tidak dapat dihitung: {e.Indonesian ?? e.Message}", $"Cannot compute: {e.Message}");
        }
    }

    private BenefitRequest BenefitRequest() => new(
        DeathDate: Date, ContributionMonths: ContributionMonths, Children: Children, Wage: Money(BWage, "wage"), EventDate: Date,
        Percentage: decimal.TryParse(Percentage?.Replace(',', '.'), System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out var pct) ? pct : null,
        Months: Months, StartDate: Date, AverageWage: Money(AverageWage, "averageWage"), TerminationDate: Date, Balance: Money(Balance, "balance"),
        MembershipYears: MembershipYears, Purpose: Purpose, Year: Year, Amount: Money(Amount, "amount"), Due: Due, Paid: Paid);

    private static long? Money(string? text, string field) =>
        string.IsNullOrWhiteSpace(text) ? null
        : Rupiah.TryParse(text, out var r) ? r.Value
        : throw new UsageException($"{field}: '{text}' is not an amount in whole rupiah", field) { Indonesian = $"Isian {Calc.FieldId(field)} ('{text}') bukan jumlah rupiah bulat." };

    private static string Reason(string reason) => L.T(Kawal.Claims.Pages.ClaimLabels.Reason(reason).Id, Kawal.Claims.Pages.ClaimLabels.Reason(reason).En);

    /// <summary>A result's own figures, named in the reader's language (<see cref="JsonFacts.Label"/>).</summary>
    private static IEnumerable<(string Key, string Value)> Fields(BenefitResult b)
    {
        var node = JsonSerializer.SerializeToNode<BenefitResult>(b, WebJson)!.AsObject();
        foreach (var (key, value) in node)
        {
            if (key is "kind" or "trace" or "payments" or "total" || value is not JsonValue v)
            {
                continue;
            }

            yield return (key == "minimum" ? L.T("Batas bawah", "Floor") : JsonFacts.Label(key), v.TryGetValue<bool>(out var flag) ? (flag ? L.T("ya", "yes") : L.T("tidak", "no"))
                : v.TryGetValue<long>(out var n) && key is not ("age" or "year" or "monthsLate") ? Fmt.Money(n)
                : v.TryGetValue<decimal>(out var d) ? Fmt.Figure(d)
                : key == "reason" && v.ToString() is { } reason ? Reason(reason)
                : v.ToString());
        }
    }
}
