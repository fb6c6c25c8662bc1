using System.Text.Json;
using Kawal.Identity;

namespace Kawal.Registry.Import;

/// <summary>
/// Holds an uploaded file between its dry run and the officer's confirmation, under a random token. Only the person
/// who uploaded it can confirm it; the file is removed once imported (or when a newer upload replaces it).
/// </summary>
public sealed class ImportStaging(ImportFolder folder)
{
    private sealed record Meta(string Actor, string FileName, string Kind, string Extension);

    private string Dir => Directory.CreateDirectory(System.IO.Path.Combine(folder.Path, "uploads")).FullName;

    public async Task<string> SaveAsync(Stream content, string fileName, string kind, Caller caller, CancellationToken ct)
    {
        var token = Guid.NewGuid().ToString("N");
        var extension = System.IO.Path.GetExtension(fileName).Equals(".xlsx", StringComparison.OrdinalIgnoreCase) ? ".xlsx" : ".csv";
        await using (var target = File.Create(System.IO.Path.Combine(Dir, token + extension)))
        {
            await content.CopyToAsync(target, ct);
        }

        await File.WriteAllTextAsync(System.IO.Path.Combine(Dir, token + ".json"), JsonSerializer.Serialize(new Meta(caller.Actor, System.IO.Path.GetFileName(fileName), kind, extension)), ct);
        return token;
    }

    /// <summary>The staged file for this token and caller, or null (unknown token, someone else's upload).</summary>
    public async Task<(string Path, string FileName, string Kind)?> FindAsync(string? token, Caller caller, CancellationToken ct)
    {
        if (token is null || token.Length != 32 || !token.All(char.IsAsciiHexDigitLower))
        {
            return null;
        }

        var metaPath = System.IO.Path.Combine(Dir, token + ".json");
        if (!File.Exists(metaPath))
        {
            return null;
        }

        var meta = JsonSerializer.Deserialize<Meta>(await File.ReadAllTextAsync(metaPath, ct))!;
        return meta.Actor == caller.Actor ? (System.IO.Path.Combine(Dir, token + meta.Extension), meta.FileName, meta.Kind) : null;
    }

    public void Delete(string token)
    {
        foreach (var f in Directory.EnumerateFiles(Dir, token + ".*"))
        {
            File.Delete(f);
        }
    }
}
