using System.Text;

namespace Kawal;

/// <summary>Key files in the keys folder: created once, readable and writable by their owner only (0600).</summary>
public static class SecretFiles
{
    /// <summary>
    /// Writes <paramref name="content"/> to a new file at <paramref name="path"/> (creating its folder); false when the
    /// file exists already — another process created it first — and the caller should read that one instead.
    /// </summary>
    public static bool TryCreate(string path, string content)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(folder);
        // Written in full under a temporary name, then moved into place: another process never reads a half-written key.
        var temporary = Path.Combine(folder, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var writer = new StreamWriter(temporary, Encoding.ASCII, options))
        {
            writer.Write(content);
        }

        try
        {
            File.Move(temporary, path, overwrite: false);
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temporary);
            return false;
        }
    }
}
