using Microsoft.AspNetCore.Http;

namespace Kawal.Ui;

/// <summary>
/// What the user typed into a form that was refused, so that the page shows it again instead of an empty form, and which
/// field the refusal concerns (set by the form step), so that the message stands beside it.
/// </summary>
public static class Posted
{
    private const string FieldKey = "kawal.form-field";
    private const string MessageKey = "kawal.form-message";

    /// <summary>The posted value of a field, or null on a GET or when it was not sent.</summary>
    public static string? Value(HttpContext? http, string name) =>
        http is { Request: { Method: "POST", HasFormContentType: true } request } && request.Form.TryGetValue(name, out var v) && v.Count > 0 ? v.ToString() : null;

    /// <summary>Every posted value of a field (checkboxes).</summary>
    public static IReadOnlyList<string> Values(HttpContext? http, string name) =>
        http is { Request: { Method: "POST", HasFormContentType: true } request } && request.Form.TryGetValue(name, out var v) ? v.Where(x => x is not null).Select(x => x!).ToList() : [];

    /// <summary>Records the refused field and its message (the form step calls this).</summary>
    public static void Refused(HttpContext http, string? field, string message)
    {
        http.Items[FieldKey] = field;
        http.Items[MessageKey] = message;
    }

    /// <summary>The message for this field when the refusal concerns it (a field <c>heirs[0].name</c> matches <c>heirs</c> too).</summary>
    public static string? ErrorFor(HttpContext? http, string name) =>
        http?.Items[FieldKey] is string field && http.Items[MessageKey] is string message
        && (field.Equals(name, StringComparison.OrdinalIgnoreCase) || field.StartsWith(name + "[", StringComparison.OrdinalIgnoreCase) || field.StartsWith(name + ".", StringComparison.OrdinalIgnoreCase))
            ? message : null;
}
