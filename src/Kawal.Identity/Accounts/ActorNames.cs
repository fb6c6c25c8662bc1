using Dapper;
using Kawal.Data;
using Kawal.Ui;

namespace Kawal.Identity;

/// <summary>
/// Who did something, as people read it: the stored actor (<c>user:demo.jaksa</c>, <c>key:ab12cd34:DPMPTSP</c>,
/// <c>demo:kepatuhan-cabang</c>, <c>job:monev-refresh</c>, <c>cli:demo</c>) as a user's display name, an API key's name and
/// its owner, or a word for the system and the demo data. The one place pages turn actors into names
/// (<c>Pages/ActorName.razor</c>); the accounts and keys are read once per request.
/// </summary>
public sealed class ActorNames(Database db)
{
    private Task<Known>? _directory;

    /// <summary>The actor's name in the reader's language.</summary>
    public async Task<string> ShowAsync(string? actor, CancellationToken ct = default) =>
        string.IsNullOrWhiteSpace(actor) ? "–" : Show(actor, await (_directory ??= LoadAsync(ct)));

    /// <summary>The actor's name, given the display names of the accounts (by username) and the owners of the keys (by prefix).</summary>
    public static string Show(string actor, Known directory)
    {
        var colon = actor.IndexOf(':', StringComparison.Ordinal);
        var (kind, rest) = colon < 0 ? (actor, "") : (actor[..colon], actor[(colon + 1)..]);
        switch (kind)
        {
            case "user":
                return directory.Users.TryGetValue(rest, out var display) && !string.IsNullOrWhiteSpace(display) ? display : rest;
            case "key":
                var parts = rest.Split(':', 2);
                var name = parts.Length == 2 ? parts[1] : parts[0];
                return directory.KeyOwners.TryGetValue(parts[0], out var owner) && owner.StartsWith("user:", StringComparison.Ordinal)
                    ? L.T($"kunci API “{name}” milik {Show(owner, directory)}", $"API key “{name}” of {Show(owner, directory)}")
                    : L.T($"kunci API “{name}”", $"API key “{name}”");
            case "demo":
                return L.T("Data demo", "Demo data");
            case "cli" when rest == "demo":
                return L.T("Data demo", "Demo data");
            case "cli":
                return L.T($"Operator server ({rest})", $"Server operator ({rest})");
            case "job" or "system":
                return L.T("Sistem", "System");
            case "rules":
                return L.T("Sistem (aturan)", "System (rules)");
            case "anonymous":
                return L.T("Publik", "Public");
            default:
                return actor;
        }
    }

    private async Task<Known> LoadAsync(CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var users = await c.QueryAsync<(string Username, string DisplayName)>(new CommandDefinition("SELECT username, display_name FROM users", cancellationToken: ct));
        var keys = await c.QueryAsync<(string Prefix, string CreatedBy)>(new CommandDefinition("SELECT prefix, created_by FROM api_keys", cancellationToken: ct));
        return new Known(users.ToDictionary(u => u.Username, u => u.DisplayName, StringComparer.Ordinal), keys.ToDictionary(k => k.Prefix, k => k.CreatedBy, StringComparer.Ordinal));
    }

    /// <summary>The accounts' display names by username and the keys' creators by prefix.</summary>
    public sealed record Known(IReadOnlyDictionary<string, string> Users, IReadOnlyDictionary<string, string> KeyOwners);
}
