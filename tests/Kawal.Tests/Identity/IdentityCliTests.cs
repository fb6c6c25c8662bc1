using Kawal.Cli;
using Kawal.Data;
using Kawal.Testing;

namespace Kawal.Tests.Identity;

public class IdentityCliTests
{
    private static async Task<(int Exit, string Out, string Err)> Run(string? stdin, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        using var input = stdin is null ? null : new StringReader(stdin);
        var exit = await KawalCli.RunAsync(args, stdout, stderr, input);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [EngineTheory]
    public async Task The_first_administrator_and_a_key_are_created_from_the_shell(Engine engine)
    {
        await using var t = await TestDatabase.CreateAsync(engine);
        var db = t.ConnectionText;

        // A new SQLite file outside ./kawal-data is created only when asked for (docs/operations.md).
        var (addExit, addOut, _) = await Run("Rahasia-Kawal-2026\n", "users", "add", "--username", "admin.pusat", "--role", "admin", "--database", db, "--create-database");
        var (weakExit, _, weakErr) = await Run("pendek\n", "users", "add", "--username", "lain", "--role", "admin", "--database", db);
        var (badExit, _, badErr) = await Run("Rahasia-Kawal-2026\n", "users", "add", "--username", "kab", "--role", "regency_officer", "--region", "35", "--database", db);
        var (keyExit, keyOut, _) = await Run(null, "api-keys", "create", "--name", "DPMPTSP Kab. Malang", "--role", "regency_officer", "--region", "35.07", "--scopes", "licensing.check", "--database", db);
        var (listExit, listOut, _) = await Run(null, "users", "list", "--database", db);

        Assert.Equal((0, "created user admin.pusat (admin)"), (addExit, addOut.Trim()));
        Assert.Equal(2, weakExit);
        Assert.Contains("at least 12 characters", weakErr, StringComparison.Ordinal);
        Assert.Equal(2, badExit);
        Assert.Contains("regency/city code", badErr, StringComparison.Ordinal);
        Assert.Equal(0, keyExit);
        var last = keyOut.TrimEnd().Split('\n')[^1];
        Assert.Matches("^kawal_[0-9a-f]{12}_[0-9a-f]{64}$", last);
        Assert.Equal(0, listExit);
        Assert.Contains("admin.pusat", listOut, StringComparison.Ordinal);
    }

    [EngineTheory]
    public async Task Audit_verify_passes_then_fails_after_tampering(Engine engine)
    {
        await using var t = await TestDatabase.CreateAsync(engine);
        await Run("Rahasia-Kawal-2026\n", "users", "add", "--username", "admin.pusat", "--role", "admin", "--database", t.ConnectionText, "--create-database");
        await Run(null, "users", "disable", "admin.pusat", "--database", t.ConnectionText);

        var (okExit, okOut, _) = await Run(null, "audit", "verify", "--database", t.ConnectionText);
        await AuditChainTests.Tamper(t, "UPDATE audit_log SET actor = 'cli:nobody' WHERE seq = 1");
        var (badExit, _, badErr) = await Run(null, "audit", "verify", "--database", t.ConnectionText);

        Assert.Equal((0, "audit log intact: 2 entries verified"), (okExit, okOut.Trim()));
        Assert.Equal(1, badExit);
        Assert.Contains("BROKEN at entry 1", badErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_accounts_exist_only_when_asked_for()
    {
        await using var t = await TestDatabase.CreateAsync(Engine.Sqlite);
        await Run(null, "db", "migrate", "--database", t.ConnectionText);
        var (_, before, _) = await Run(null, "users", "list", "--database", t.ConnectionText);

        var (exit, output, _) = await Run(null, "users", "demo", "--database", t.ConnectionText);
        var (_, again, _) = await Run(null, "users", "demo", "--database", t.ConnectionText);
        var (_, after, _) = await Run(null, "users", "list", "--database", t.ConnectionText);

        Assert.Equal("", before.Trim());
        Assert.Equal(0, exit);
        Assert.Contains("8 created", output, StringComparison.Ordinal);
        Assert.Contains("0 created, 8 already present", again, StringComparison.Ordinal);
        Assert.Equal(8, after.Trim().Split('\n').Length);
        Assert.Contains("demo.kabupaten", after, StringComparison.Ordinal);
    }
}
