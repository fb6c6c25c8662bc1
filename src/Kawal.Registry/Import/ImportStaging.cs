using Dapper;
using Kawal.Data;
using Kawal.Identity;

namespace Kawal.Registry.Import;

/// <summary>A file held between its check and its confirmation: its name as uploaded and its import kind.</summary>
public sealed record StagedImport(string Token, string FileName, string Kind);

/// <summary>
/// A node-local copy of an uploaded file for the import reader (in the import folder's <c>uploads</c>), deleted when
/// disposed.
/// </summary>
public sealed class ScratchFile(string path, string fileName, string kind) : IDisposable
{
    public string Path => path;

    public string FileName => fileName;

    public string Kind => kind;

    public void Dispose() => File.Delete(path);
}

/// <summary>
/// Holds an uploaded file between its dry run and the officer's confirmation, under a random token, in the database
/// (tables <c>import_staging</c> and <c>import_staging_parts</c>): the confirmation may reach another node than the check
/// did. Only the person who uploaded it can confirm it; it is removed once imported, and any node removes staged files
/// older than <see cref="Lifetime"/> when it stages another.
/// </summary>
public sealed class ImportStaging(Database db, ImportFolder folder, TimeProvider time)
{
    /// <summary>How long a checked file waits for its confirmation.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(1);

    /// <summary>Parts of the content, one row each, so that neither side holds the whole file in memory.</summary>
    public const int PartBytes = 4 << 20;

    private string Dir => Directory.CreateDirectory(System.IO.Path.Combine(folder.Path, "uploads")).FullName;

    public async Task<string> SaveAsync(Stream content, string fileName, string kind, Caller caller, CancellationToken ct)
    {
        var token = Guid.NewGuid().ToString("N");
        var now = time.GetUtcNow();
        await using var c = await db.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        await c.ExecuteAsync(new CommandDefinition("DELETE FROM import_staging WHERE expires_ms < @now", new { now = now.ToUnixTimeMilliseconds() }, tx, cancellationToken: ct));
        await c.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO import_staging (token, actor, file_name, kind, extension, size_bytes, created_ms, expires_ms)
            VALUES (@token, @Actor, @name, @kind, @extension, 0, @created, @expires)
            """,
            new { token, caller.Actor, name = System.IO.Path.GetFileName(fileName), kind, extension = Extension(fileName), created = now.ToUnixTimeMilliseconds(),
                expires = (now + Lifetime).ToUnixTimeMilliseconds() }, tx, cancellationToken: ct));
        var buffer = new byte[PartBytes];
        long size = 0;
        for (var part = 0; ; part++)
        {
            var read = await content.ReadAtLeastAsync(buffer, PartBytes, throwOnEndOfStream: false, ct);
            if (read == 0)
            {
                break;
            }

            await c.ExecuteAsync(new CommandDefinition("INSERT INTO import_staging_parts (token, part, content) VALUES (@token, @part, @bytes)",
                new { token, part, bytes = read == PartBytes ? buffer : buffer[..read] }, tx, cancellationToken: ct));
            size += read;
        }

        await c.ExecuteAsync(new CommandDefinition("UPDATE import_staging SET size_bytes = @size WHERE token = @token", new { size, token }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return token;
    }

    /// <summary>The staged file for this token and caller, or null (unknown or expired token, someone else's upload).</summary>
    public async Task<StagedImport?> FindAsync(string? token, Caller caller, CancellationToken ct)
    {
        if (token is null || token.Length != 32 || !token.All(char.IsAsciiHexDigitLower))
        {
            return null;
        }

        await using var c = await db.OpenAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<(string FileName, string Kind)?>(new CommandDefinition(
            "SELECT file_name, kind FROM import_staging WHERE token = @token AND actor = @Actor AND expires_ms >= @now",
            new { token, caller.Actor, now = time.GetUtcNow().ToUnixTimeMilliseconds() }, cancellationToken: ct));
        return row is { } r ? new StagedImport(token, r.FileName, r.Kind) : null;
    }

    /// <summary>A copy of the staged file on this node's disk for the import to read, or null as <see cref="FindAsync"/>.</summary>
    public async Task<ScratchFile?> OpenAsync(string? token, Caller caller, CancellationToken ct)
    {
        if (await FindAsync(token, caller, ct) is not { } staged)
        {
            return null;
        }

        var file = new ScratchFile(System.IO.Path.Combine(Dir, $"{Guid.NewGuid():N}{Extension(staged.FileName)}"), staged.FileName, staged.Kind);
        try
        {
            await using var c = await db.OpenAsync(ct);
            await using var target = File.Create(file.Path);
            await using var reader = await c.ExecuteReaderAsync(new CommandDefinition(
                "SELECT content FROM import_staging_parts WHERE token = @token ORDER BY part", new { token }, cancellationToken: ct));
            while (await reader.ReadAsync(ct))
            {
                await target.WriteAsync(reader.GetFieldValue<byte[]>(0), ct);
            }
        }
        catch
        {
            file.Dispose();
            throw;
        }

        return file;
    }

    /// <summary>A copy of an upload on this node's disk for an import that runs within the request (nothing is staged).</summary>
    public async Task<ScratchFile> ScratchAsync(Stream content, string fileName, string kind, CancellationToken ct)
    {
        var file = new ScratchFile(System.IO.Path.Combine(Dir, $"{Guid.NewGuid():N}{Extension(fileName)}"), System.IO.Path.GetFileName(fileName), kind);
        try
        {
            await using var target = File.Create(file.Path);
            await content.CopyToAsync(target, ct);
        }
        catch
        {
            file.Dispose();
            throw;
        }

        return file;
    }

    public async Task DeleteAsync(string token, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync(new CommandDefinition("DELETE FROM import_staging WHERE token = @token", new { token }, cancellationToken: ct));
    }

    private static string Extension(string fileName) => System.IO.Path.GetExtension(fileName).Equals(".xlsx", StringComparison.OrdinalIgnoreCase) ? ".xlsx" : ".csv";
}
