namespace Kawal.Rules.Contributions;

/// <summary>One programme's contribution. Total = employer + worker (what the payer remits); government is paid apart.</summary>
public sealed record ContributionLine(string Programme, long Base, long Employer, long Worker, long Government, long Total, long Deferred = 0);

public sealed record ContributionResult(
    string Segment,
    string Period,
    IReadOnlyList<ContributionLine> Lines,
    long EmployerTotal,
    long WorkerTotal,
    long GovernmentTotal,
    long Total,
    DateOnly? DueDate,
    IReadOnlyList<TraceStep> Trace);

/// <summary>What to compute: one month's contribution of one membership.</summary>
public sealed record ContributionInput(
    Segment Segment,
    Period Period,
    Programmes Programmes,
    long Wage = 0,
    int RiskClass = 1,
    long DeclaredIncome = 0,
    long ContractValue = 0,
    string? Package = null,
    int ContractMonths = 0,
    long JhtAmount = 0,
    bool LabourIntensive = false,
    bool JpDeferral = false);
