using System.Text.Json.Serialization;

namespace Kawal.Rules.Benefits;

/// <summary>Every benefit result has the cash total in whole rupiah and the trace that explains it.</summary>
[JsonDerivedType(typeof(DeathBenefit))]
[JsonDerivedType(typeof(DisabilityBenefit))]
[JsonDerivedType(typeof(PaymentsBenefit))]
[JsonDerivedType(typeof(PensionBenefit))]
[JsonDerivedType(typeof(JhtPartialBenefit))]
[JsonDerivedType(typeof(RetirementAgeResult))]
[JsonDerivedType(typeof(FineResult))]
[JsonDerivedType(typeof(JhtFullBenefit))]
public abstract record BenefitResult(string Kind, long Total, IReadOnlyList<TraceStep> Trace);

public sealed record DeathBenefit(string Kind, long Total, long LumpSum, long Periodic, long Funeral,
    bool ScholarshipEligible, long ScholarshipMaximum, IReadOnlyList<TraceStep> Trace) : BenefitResult(Kind, Total, Trace);

public sealed record DisabilityBenefit(string Kind, long Total, decimal Percentage, bool ScholarshipEligible, long ScholarshipMaximum,
    IReadOnlyList<TraceStep> Trace) : BenefitResult(Kind, Total, Trace);

public sealed record MonthlyPayment(int Month, decimal Percent, long Amount);

public sealed record PaymentsBenefit(string Kind, long Total, long Base, IReadOnlyList<MonthlyPayment> Payments,
    IReadOnlyList<TraceStep> Trace) : BenefitResult(Kind, Total, Trace);

public sealed record PensionBenefit(string Kind, long Total, bool Eligible, long MonthlyPension, long Formula, long Minimum, long Maximum,
    IReadOnlyList<TraceStep> Trace) : BenefitResult(Kind, Total, Trace);

public sealed record JhtPartialBenefit(string Kind, long Total, bool Eligible, string? Reason, decimal Percent,
    IReadOnlyList<TraceStep> Trace) : BenefitResult(Kind, Total, Trace);

public sealed record RetirementAgeResult(string Kind, long Total, int Year, int Age, IReadOnlyList<TraceStep> Trace) : BenefitResult(Kind, Total, Trace);

public sealed record FineResult(string Kind, long Total, int MonthsLate, decimal RatePercent, IReadOnlyList<TraceStep> Trace) : BenefitResult(Kind, Total, Trace);

public sealed record JhtFullBenefit(string Kind, long Total, string Reason, IReadOnlyList<TraceStep> Trace) : BenefitResult(Kind, Total, Trace);
