using System.Diagnostics.CodeAnalysis;

namespace Kawal.Ui;

/// <summary>
/// Return addresses (<c>?kembali=</c>) are local paths only, never another site (no open redirect). A path is refused
/// — and the home page used instead — when it, or any percent-decoding of it, could make a browser leave this origin or
/// could be normalised into such a path: two slashes in its path (<c>//evil</c>, <c>/%2F/evil</c>), a <c>.</c> or
/// <c>..</c> segment (<c>/.//evil</c>), a backslash anywhere (<c>/\evil</c>, <c>/%5Cevil</c>: browsers read it as a slash),
/// a control character (browsers drop tab, CR and LF from addresses, so <c>/%09/evil</c> becomes <c>//evil</c>), and
/// anything that is not plain ASCII as it stands. The query and fragment may hold anything else.
/// </summary>
public static class LocalPath
{
    private const int MaxLength = 2048;

    /// <summary>How many layers of percent-encoding are looked through; a path still changing after that is refused.</summary>
    private const int MaxDecodings = 4;

    private static readonly Uri Origin = new("https://kawal.invalid/");

    public static string OrHome(string? path) => IsLocal(path) ? path : "/";

    public static bool IsLocal([NotNullWhen(true)] string? path)
    {
        if (path is not { Length: > 0 and <= MaxLength } || path[0] != '/' || !path.All(c => c is >= ' ' and <= '~'))
        {
            return false;
        }

        var layer = path;
        for (var i = 0; i <= MaxDecodings; i++)
        {
            if (!SafeLayer(layer))
            {
                return false;
            }

            var decoded = Uri.UnescapeDataString(layer);
            if (decoded == layer)
            {
                // The address resolved against this origin stays on it (a last check on the rules above).
                return Uri.TryCreate(Origin, path, out var resolved) && resolved.Scheme == Origin.Scheme && resolved.Authority == Origin.Authority;
            }

            layer = decoded;
        }

        return false;
    }

    private static bool SafeLayer(string layer)
    {
        var end = layer.IndexOfAny(['?', '#']);
        var route = end < 0 ? layer : layer[..end];
        return route.Length > 0 && route[0] == '/'
            && !route.Contains("//", StringComparison.Ordinal)
            && !route.Split('/').Any(segment => segment is "." or "..")
            && !layer.Any(c => c == '\\' || char.IsControl(c));
    }
}
