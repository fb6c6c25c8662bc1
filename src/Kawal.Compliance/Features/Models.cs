using System.Text.Json;

namespace Kawal.Compliance.Features;

public sealed record CaseSummaryDto(long Id, string Number, string Kind, string SubjectKey, string Name, string RegionCode, string Status, long Amount, string DetectedOn,
    string? StepDue, bool Overdue, string? OfficeCode, string? SkkNumber);

public sealed record CaseEventDto(string Kind, string OnDate, string Actor, string Details);

public sealed record RecoveryDto(string Reference, long Amount, string PaidOn, string OfficeCode);

public sealed record SanctionDto(long Id, string CaseNumber, string SubjectKey, string Name, string RegionCode, string Basis, string StartDate, string? EndDate);

public sealed record CaseDto(long Id, string Number, string Kind, string SubjectKey, string? Npp, string? Nib, string Name, string RegionCode, string Status, JsonElement Evidence,
    long Amount, string DetectedOn, string? StepDue, bool Overdue, string? Warning1On, string? Warning2On, string? SkkNumber, string? SkkDate, string? OfficeCode, string? OfficeName,
    long? SkkAmount, long Recovered, long? OutstandingArrears, string? ClosedOn, string? CloseReason, IReadOnlyList<CaseEventDto> Events, IReadOnlyList<RecoveryDto> Recoveries,
    SanctionDto? Sanction, IReadOnlyList<string> Letters);

public sealed record CasePageDto(int Total, int Page, int PageSize, IReadOnlyList<CaseSummaryDto> Items);

public sealed record CaseSearch(string? Status = null, string? Kind = null, string? Region = null, string? Office = null, bool OverdueOnly = false, int Page = 1, int PageSize = 50);

public sealed record DetectionSummary(string AsOf, IReadOnlyDictionary<string, int> Open, int Created, int Updated, int Resolved);

public sealed record WarningInput(string? Date);

public sealed record SkkInput(string? Number, string? Date, string? Office);

public sealed record ActionInput(string? Kind, string? Date, string? Note);

public sealed record RecoveryInput(string? Reference, long? Amount, string? Date);

public sealed record CloseInput(string? Reason, string? Date, string? Note);

public sealed record OfficeDto(string Code, string Name, string Level, string RegionCode);

public sealed record RecoveryRowDto(string Key, string Name, long SkkCount, long SkkAmount, long Recovered, decimal? RecoveryPct);

/// <remarks>
/// <paramref name="Controlled"/>: a caller that may not read the cases gets the months' published, disclosure-controlled
/// figures summed (null: withheld) and no split by office.
/// </remarks>
public sealed record RecoveryStatsDto(string? Region, string? Office, string From, string To, long? SkkCount, long? SkkAmount, long? Recovered, decimal? RecoveryPct,
    IReadOnlyList<RecoveryRowDto> Offices, IReadOnlyList<string> Sources, bool Controlled = false);

/// <summary>What a licensing service learns, signed: <c>payload</c> is the exact signed JSON (base64), <c>signature</c> ECDSA P-256 / SHA-256 (DER, base64).</summary>
public sealed record CheckDto(string Status, string Query, string? Name, string? Npp, string? Nib, long ActiveWorkers, IReadOnlyList<string> Programmes, long Arrears,
    int ArrearsMonths, string? Sanction, IReadOnlyList<string> Reasons, string AsOf, string KeyId, string Payload, string Signature);

internal static class Json
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, Options);
}
