namespace Kawal.Registry.Domain;

/// <summary>An employer (pemberi kerja), identified by its NPP.</summary>
public sealed record Employer(string Npp, string? Nib, string Name, string Kind, string RegionCode, int RiskClass, string Size, string? Address, string Status);

/// <summary>A person, identified by NIK; sex and birth date come from the NIK.</summary>
public sealed record Participant(string Nik, string Name, Sex Sex, DateOnly BirthDate, string? Phone, string DomicileRegionCode);

/// <summary>A participant's membership in one segment, with one employer or none, over [From, To).</summary>
public sealed record Membership(
    string Segment,
    string? EmployerNpp,
    string Category,
    string? Occupation,
    Payer Payer,
    string Programmes,
    long Wage,
    DateOnly From,
    DateOnly? To);

/// <summary>One validated row of a participants file: the person and the membership it asks for.</summary>
/// <remarks><see cref="Stated"/> names the optional columns the file has: an absent column leaves an existing value alone.</remarks>
public sealed record ParticipantRow(int RowNumber, Participant Participant, Membership Membership, IReadOnlySet<string> Stated) : Import.IImportRow;

/// <summary>Why a row was rejected: row, column, a stable code, a message in Indonesian and English, the value.</summary>
public sealed record RowError(int RowNumber, string? Column, string Code, string MessageId, string MessageEn, string? Value)
{
    /// <summary>The rejected value as reports, the ledger and pages quote it: at most 100 characters, a longer one cut with "…".</summary>
    public string? Value { get; init; } = Import.Values.Quote(Value);
}
