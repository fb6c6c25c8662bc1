using System.Globalization;
using System.Text.Json;
using Kawal.Registry.Features;

namespace Kawal.Registry.Web;

public sealed record EmployerPage(int Total, int Page, int PageSize, IReadOnlyList<EmployerView> Items);

public sealed record ParticipantPage(int Total, int Page, int PageSize, IReadOnlyList<ParticipantSummary> Items);

/// <summary>The result of a registration: <c>created</c>, <c>updated</c> or <c>unchanged</c>, and the record as now stored.</summary>
public sealed record RegistrationResponse<T>(string Outcome, T Record);

/// <summary>What a licensing service (PTSP/OSS) learns about a business: registered or not, active or not. No person.</summary>
public sealed record LicensingStatus(string Query, bool Registered, string? Npp, string? Name, string? Status, bool Active, int ActiveMemberships);

public sealed record ImportDetail(ImportRecord Import, IReadOnlyList<ImportErrorRecord> Errors);

internal static class Fields
{
    /// <summary>A JSON object of import column names to values; numbers and booleans are taken as their text.</summary>
    public static Dictionary<string, string?> From(Dictionary<string, JsonElement> body) =>
        body.ToDictionary(kv => kv.Key, kv => kv.Value.ValueKind switch
        {
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            JsonValueKind.String => kv.Value.GetString(),
            JsonValueKind.Number => kv.Value.GetRawText(),
            JsonValueKind.True or JsonValueKind.False => kv.Value.GetBoolean().ToString(CultureInfo.InvariantCulture).ToLowerInvariant(),
            _ => throw new UsageException($"the field '{kv.Key}' must be a string or a number", kv.Key) { Indonesian = $"Isian '{kv.Key}' harus berupa teks atau angka." },
        }, StringComparer.Ordinal);

    public static IDictionary<string, string[]> Errors(IReadOnlyList<Domain.RowError> errors) =>
        errors.GroupBy(e => e.Column ?? "request").ToDictionary(g => g.Key, g => g.Select(e => $"{e.Code}: {e.MessageEn}").ToArray());
}
