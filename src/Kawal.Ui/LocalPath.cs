namespace Kawal.Ui;

/// <summary>Return addresses (<c>?kembali=</c>) are local paths only, never another site (no open redirect).</summary>
public static class LocalPath
{
    public static string OrHome(string? path) =>
        path is { Length: > 0 } && path[0] == '/' && !path.StartsWith("//", StringComparison.Ordinal) && !path.StartsWith("/\\", StringComparison.Ordinal)
            ? path
            : "/";
}
