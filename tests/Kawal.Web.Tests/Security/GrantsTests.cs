using System.Net;
using System.Net.Http.Json;
using Dapper;
using Kawal.Data;
using Kawal.Identity;
using Kawal.Testing;
using Npgsql;

namespace Kawal.Web.Tests.Security;

/// <summary>
/// The documented PostgreSQL grants (docs/security.md, audit): the schema's owner migrates, the nodes serve as a role
/// that may only read and write rows. Serving a current schema runs no DDL, so such a role can serve; and it cannot
/// disable the audit triggers, truncate, rewrite or delete the audit log, or reset its head.
/// </summary>
public class GrantsTests
{
    [Fact]
    public async Task A_role_with_the_documented_grants_serves_and_cannot_touch_the_audit_tables()
    {
        if (TestEngines.PostgresAdmin is not { } admin)
        {
            return; // PostgreSQL only (KAWAL_TEST_POSTGRES); CI always sets it
        }

        await using var db = await TestDatabase.MigratedAsync(Engine.Postgres);
        var schema = new NpgsqlConnectionStringBuilder(db.Spec.ConnectionString).SearchPath!;
        var role = "app_" + Guid.NewGuid().ToString("N")[..10];
        const string Password = "Kawal-App-2026";
        await using (var c = new NpgsqlConnection(db.Spec.ConnectionString))
        {
            await c.OpenAsync();
            await c.ExecuteAsync($"""
                CREATE ROLE {role} LOGIN PASSWORD '{Password}';
                GRANT USAGE ON SCHEMA {schema} TO {role};
                GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {role};
                GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {role};
                REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM {role};
                REVOKE DELETE, TRUNCATE ON audit_head FROM {role};
                """);
        }

        try
        {
            var asApp = new NpgsqlConnectionStringBuilder(db.Spec.ConnectionString) { Username = role, Password = Password }.ConnectionString;

            // A node serving as that role, with migrate-on-start off (the PostgreSQL default): it starts, signs in and writes audited rows.
            await using var app = new KawalFactory(db, new Dictionary<string, string?> { [Settings.DatabaseKey] = asApp, [Settings.MigrateOnStartKey] = "false" });
            var admin1 = await Seed.ClientAsync(app, Role.Admin);
            var created = await admin1.PostAsJsonAsync("/api/v1/admin/users", new { username = "grant.test", role = "national_monitor", password = "Rahasia-Kawal-2026", displayName = "Uji Hak" });
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.OK, (await app.CreateClient().GetAsync("/health/ready")).StatusCode);

            await using var c = new NpgsqlConnection(asApp);
            await c.OpenAsync();
            Assert.True(await c.ExecuteScalarAsync<long>("SELECT count(*) FROM audit_log") > 0);
            foreach (var sql in (string[])[
                "ALTER TABLE audit_log DISABLE TRIGGER ALL",
                "TRUNCATE audit_log",
                "UPDATE audit_log SET actor = 'someone else'",
                "DELETE FROM audit_log",
                "DELETE FROM audit_head",
                "DROP TRIGGER audit_log_no_update ON audit_log",
                "DROP FUNCTION audit_log_append_only() CASCADE",
                "CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$",
                "CREATE TABLE evil (id int)",
            ])
            {
                var e = await Assert.ThrowsAsync<PostgresException>(() => c.ExecuteAsync(sql));
                Assert.True(e.SqlState is PostgresErrorCodes.InsufficientPrivilege or PostgresErrorCodes.RaiseException, $"{sql}: {e.SqlState} {e.MessageText}");
            }
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await using var c = new NpgsqlConnection(admin);
            await c.OpenAsync();
            await c.ExecuteAsync($"DROP OWNED BY {role} CASCADE; DROP ROLE {role}");
        }
    }

    [Fact]
    public async Task A_node_does_not_migrate_a_stale_schema_unless_told_to()
    {
        await using var db = await TestDatabase.CreateAsync(TestEngines.PostgresAdmin is null ? Engine.Sqlite : Engine.Postgres);
        await using var app = new KawalFactory(db, new Dictionary<string, string?> { [Settings.MigrateOnStartKey] = "false" });
        var e = Assert.ThrowsAny<Exception>(() => app.CreateClient());
        Assert.Contains("kawal db migrate", e.ToString(), StringComparison.Ordinal);
    }
}
