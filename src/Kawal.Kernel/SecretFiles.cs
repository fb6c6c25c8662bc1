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
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using var writer = new StreamWriter(path, Encoding.ASCII, options);
            writer.Write(content);
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            return false;
        }
    }
}
