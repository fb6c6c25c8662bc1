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

    /// <summary>The posted value of a field of one form (<c>@formname</c>) on a page that has several, or null.</summary>
    public static string? Value(HttpContext? http, string form, string name) =>
        http is { Request: { Method: "POST", HasFormContentType: true } request } && request.Form["_handler"] == form ? Value(http, name) : null;

    /// <summary>Every posted value of a field (checkboxes).</summary>
    public static IReadOnlyList<string> Values(HttpContext? http, string name) =>
        http is { Request: { Method: "POST", HasFormContentType: true } request } && request.Form.TryGetValue(name, out var v) ? v.Where(x => x is not null).Select(x => x!).ToList() : [];

    /// <summary>Records the refused field and its message (the form step calls this).</summary>
    public static void Refused(HttpContext http, string? field, string message)
    {
        http.Items[FieldKey] = field;
        http.Items[MessageKey] = message;
    }

    /// <summary>The message for this field of one form on a page that has several.</summary>
    public static string? ErrorFor(HttpContext? http, string form, string name) =>
        http is { Request: { Method: "POST", HasFormContentType: true } request } && request.Form["_handler"] == form ? ErrorFor(http, name) : null;

    /// <summary>The message for this field when the refusal concerns it (a field <c>heirs[0].name</c> matches <c>heirs</c> too).</summary>
    public static string? ErrorFor(HttpContext? http, string name) =>
        http?.Items[FieldKey] is string field && http.Items[MessageKey] is string message
        && (field.Equals(name, StringComparison.OrdinalIgnoreCase) || field.StartsWith(name + "[", StringComparison.OrdinalIgnoreCase) || field.StartsWith(name + ".", StringComparison.OrdinalIgnoreCase))
            ? message : null;
}
