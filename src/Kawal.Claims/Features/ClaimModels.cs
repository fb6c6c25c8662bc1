using System.Text.Json;
using Kawal.Rules;
using Kawal.Rules.Benefits;

namespace Kawal.Claims.Features;

/// <summary>A claim as taken at the counter or sent by the API; which fields matter depends on the kind (docs/claims.md).</summary>
public sealed record ClaimInput(
    string? Nik,
    string? Programme,
    string? Kind,
    string? EventDate,
    string? Reason = null,
    decimal? Percentage = null,
    decimal? FunctionLoss = null,
    int? Months = null,
    string? Purpose = null,
    string? AccidentReport = null,
    string? BankAccount = null,
    IReadOnlyList<HeirInput>? Heirs = null,
    IReadOnlyList<string>? Documents = null,
    string? ClaimDate = null);

public sealed record HeirInput(string? Name, string? Relation, string? BirthDate = null, string? Nik = null, bool? Married = null, bool? Working = null, string? BankAccount = null);

public sealed record VerifyInput(IReadOnlyList<string>? Documents = null);

public sealed record RejectInput(string? Reason);

public sealed record PayInput(string? Reference, string? PaidOn = null);

public sealed record HandoverInput(long? VisitId);

/// <summary>The benefit as computed by the rules engine, kept on the claim: total, the parts and the trace ("why this amount").</summary>
public sealed record BenefitDto(string Kind, long Total, long? Monthly, bool ScholarshipEligible, long ScholarshipMaximum,
    IReadOnlyList<ScheduledDto> Schedule, IReadOnlyList<TraceStep> Trace);

public sealed record ScheduledDto(int Seq, string Due, long Amount, string What);

public sealed record DocumentDto(string Code, string Label, string LabelEn, bool Required, bool Provided);

public sealed record HeirDto(int Seq, string Name, string? Nik, string Relation, string? BirthDate, bool Married, bool Working, int Rank, bool Entitled, long Share, string? BankAccount);

public sealed record ClaimPaymentDto(string Kind, int Seq, string Period, int? HeirSeq, long Amount, string Reference, string PaidOn, string PaidBy);

public sealed record ScholarshipDto(int HeirSeq, int YearIndex, string Due, string Level, long Amount, string Status);

public sealed record WorkflowDto(string SubmittedBy, string SubmittedAt, string? VerifiedBy, string? VerifiedAt, string? ApprovedBy, string? ApprovedAt, string? PaidAt,
    string? RejectedBy, string? RejectedAt, string? RejectRule, string? RejectReason);

public sealed record ClaimDto(long Id, string Number, string Nik, string Name, string Programme, string Kind, string? Reason, string EventDate, string ClaimDate,
    string Status, string RegionCode, BenefitDto? Benefit, IReadOnlyList<RuleCheck> Checks, IReadOnlyList<DocumentDto> Documents, IReadOnlyList<HeirDto> Heirs,
    IReadOnlyList<ClaimPaymentDto> Payments, IReadOnlyList<ScholarshipDto> Scholarships, WorkflowDto Workflow, long? VisitId, bool Created = false);

public sealed record ClaimSummaryDto(long Id, string Number, string Nik, string Name, string Programme, string Kind, string EventDate, string Status, string RegionCode, long Total, long Paid);

public sealed record ClaimPageDto(int Total, int Page, int PageSize, IReadOnlyList<ClaimSummaryDto> Items);

public sealed record ClaimSearch(string? Status = null, string? Programme = null, string? Region = null, string? Nik = null, string? From = null, string? To = null, int Page = 1, int PageSize = 50);

internal static class Json
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Read<T>(string text) => JsonSerializer.Deserialize<T>(text, Options)!;
}
