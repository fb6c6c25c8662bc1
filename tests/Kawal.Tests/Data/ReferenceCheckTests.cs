using System.Data.Common;
using Dapper;
using Kawal.Data;
using Kawal.Testing;

namespace Kawal.Tests.Data;

/// <summary>
/// References of the bulk tables: row-level foreign keys on SQLite, per-statement checks on PostgreSQL
/// (core/0003_reference_checks). Both must refuse the same things.
/// </summary>
public class ReferenceCheckTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 21, 0, 0, 0, TimeSpan.Zero);
    private static readonly string[] MembershipColumns = ["id", "participant_id", "employer_id", "segment", "category", "payer_kind", "programmes", "wage", "valid_from", "status", "region_code", "created_at", "updated_at"];

    /// <summary>A migrated database with one employer, two people and a membership, and an open connection to it.</summary>
    private sealed record World(TestDatabase T, DbConnection C) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await C.DisposeAsync();
            await T.DisposeAsync();
        }
    }

    private static async Task<World> WorldAsync(Engine engine)
    {
        var t = await TestDatabase.MigratedAsync(engine);
        var c = await t.Database.OpenAsync();
        await c.ExecuteAsync(
            """
            INSERT INTO employers (id, npp, name, kind, region_code, risk_class, size, status, created_at, updated_at) VALUES (1, '63710001', 'Pemkot', 'regional_gov', '63.71', 1, 'large', 'active', @At, @At);
            INSERT INTO participants (id, nik, kpj, name, sex, birth_date, domicile_region_code, created_at, updated_at) VALUES (1, '6371010101800001', '00000000011', 'Siti', 'F', '1980-01-01', '63.71', @At, @At);
            INSERT INTO participants (id, nik, kpj, name, sex, birth_date, domicile_region_code, created_at, updated_at) VALUES (2, '6371010101800002', '00000000022', 'Budi', 'M', '1980-01-01', '63.71', @At, @At);
            INSERT INTO memberships (id, participant_id, employer_id, segment, category, payer_kind, programmes, wage, valid_from, status, region_code, created_at, updated_at)
            VALUES (1, 1, 1, 'PU', 'regular', 'employer', 'JKK,JKM', 3000000, '2024-01-01', 'active', '63.71', @At, @At);
            """, new { At });
        return new World(t, c);
    }

    private static object?[] Membership(long id, long participant, long? employer, string region) =>
        [id, participant, employer, "PU", "regular", "employer", "JKK,JKM", 3_000_000L, new DateOnly(2024, 1, 1), "active", region, At, At];

    private static async Task<DbException> Refused(TestDatabase t, Func<Task> write)
    {
        var e = await Assert.ThrowsAnyAsync<DbException>(write);
        Assert.True(t.Database.Dialect.IsForeignKeyViolation(e), e.Message);
        return e;
    }

    [EngineTheory]
    public async Task A_bulk_insert_with_one_dangling_reference_writes_nothing(Engine engine)
    {
        await using var world = await WorldAsync(engine);
        var (t, c) = world;

        foreach (var bad in new[] { Membership(12, 99, 1, "63.71"), Membership(12, 2, 99, "63.71"), Membership(12, 2, 1, "99.99") })
        {
            await using var tx = await c.BeginTransactionAsync();
            await Refused(t, () => MultiRow.InsertAsync(c, tx, "memberships", MembershipColumns, [Membership(11, 2, 1, "63.71"), bad], default));
            await tx.RollbackAsync();
        }

        Assert.Equal(1, await c.ExecuteScalarAsync<long>("SELECT count(*) FROM memberships"));
        await using (var tx = await c.BeginTransactionAsync())
        {
            await MultiRow.InsertAsync(c, tx, "memberships", MembershipColumns, [Membership(11, 2, 1, "63.71"), Membership(12, 2, null, "63.72")], default);
            await tx.CommitAsync();
        }

        Assert.Equal(3, await c.ExecuteScalarAsync<long>("SELECT count(*) FROM memberships"));
    }

    [EngineTheory]
    public async Task A_bulk_insert_naming_a_packed_range_of_ids_is_checked_as_strictly_as_scattered_ids(Engine engine)
    {
        // 300 people with ids 1..300 but for 150; 300 memberships naming them: a packed range, which PostgreSQL checks by
        // one range scan of the parent instead of a probe per value (core/0005_reference_checks_dense).
        await using var world = await WorldAsync(engine);
        var (t, c) = world;
        await using (var tx = await c.BeginTransactionAsync())
        {
            await MultiRow.InsertAsync(c, tx, "participants", ["id", "nik", "kpj", "name", "sex", "birth_date", "domicile_region_code", "created_at", "updated_at"],
                Enumerable.Range(3, 298).Where(i => i != 150).Select(i => new object?[]
                {
                    (long)i, $"637101010180{i:D4}", $"9{i:D10}", $"Peserta {i}", "F", new DateOnly(1980, 1, 1), "63.71", At, At,
                }).ToList(), default);
            await tx.CommitAsync();
        }

        List<object?[]> Memberships(int missing) => Enumerable.Range(1, 300).Select(i => Membership(10 + i, i == 150 ? missing : i, 1, "63.71")).ToList();
        await using (var tx = await c.BeginTransactionAsync())
        {
            await Refused(t, () => MultiRow.InsertAsync(c, tx, "memberships", MembershipColumns, Memberships(missing: 150), default));
            await tx.RollbackAsync();
        }

        await using (var tx = await c.BeginTransactionAsync())
        {
            await Refused(t, () => MultiRow.InsertAsync(c, tx, "memberships", MembershipColumns, Memberships(missing: 301), default)); // just past the range
            await tx.RollbackAsync();
        }

        Assert.Equal(1, await c.ExecuteScalarAsync<long>("SELECT count(*) FROM memberships"));
        await using (var tx = await c.BeginTransactionAsync())
        {
            await MultiRow.InsertAsync(c, tx, "memberships", MembershipColumns, Memberships(missing: 151), default);
            await tx.CommitAsync();
        }

        Assert.Equal(301, await c.ExecuteScalarAsync<long>("SELECT count(*) FROM memberships"));
        if (engine == Engine.Postgres)
        {
            Assert.Equal("on", await c.ExecuteScalarAsync<string>("SHOW enable_nestloop")); // the check's own setting does not leak
        }
    }

    [EngineTheory]
    public async Task An_update_to_a_missing_row_is_refused_and_an_unchanged_reference_is_not_rechecked(Engine engine)
    {
        await using var world = await WorldAsync(engine);
        var (t, c) = world;

        await Refused(t, () => c.ExecuteAsync("UPDATE memberships SET participant_id = 99 WHERE id = 1"));
        await Refused(t, () => c.ExecuteAsync("UPDATE memberships SET region_code = '99.99' WHERE id = 1"));
        await Refused(t, () => c.ExecuteAsync("INSERT INTO membership_history (membership_id, changed_at, changed_by, change) VALUES (99, @At, 'test', 'wage')", new { At }));

        await c.ExecuteAsync("UPDATE memberships SET participant_id = 2, region_code = '63.72', wage = 4000000 WHERE id = 1");
        Assert.Equal(2, await c.ExecuteScalarAsync<long>("SELECT participant_id FROM memberships WHERE id = 1"));
    }

    [EngineTheory]
    public async Task A_referenced_row_cannot_be_deleted_or_rekeyed(Engine engine)
    {
        await using var world = await WorldAsync(engine);
        var (t, c) = world;

        await Refused(t, () => c.ExecuteAsync("DELETE FROM participants WHERE id = 1"));
        await Refused(t, () => c.ExecuteAsync("DELETE FROM employers WHERE id = 1"));
        await Refused(t, () => c.ExecuteAsync("UPDATE participants SET id = 77 WHERE id = 1"));
        await Refused(t, () => c.ExecuteAsync("UPDATE regions SET code = '63.99' WHERE code = '63.71'"));

        Assert.Equal(2, await c.ExecuteScalarAsync<long>("SELECT count(*) FROM participants"));
        Assert.Equal(1, await c.ExecuteScalarAsync<long>("SELECT participant_id FROM memberships WHERE id = 1"));
    }
}

public class SessionSettingsTests
{
    [EngineTheory]
    public async Task Sessions_are_set_up_for_batch_work(Engine engine)
    {
        await using var t = await TestDatabase.CreateAsync(engine);
        await using var c = await t.Database.OpenAsync();
        if (engine == Engine.Postgres)
        {
            Assert.Equal("off", await c.ExecuteScalarAsync<string>("SHOW jit"));
        }
        else
        {
            Assert.Equal(1L, await c.ExecuteScalarAsync<long>("PRAGMA foreign_keys"));
        }
    }

    [Fact]
    public void An_operators_own_jit_setting_is_kept()
    {
        Assert.Contains("-c jit=off", Database.WithoutJit("Host=db;Database=kawal"), StringComparison.Ordinal);
        Assert.Contains("-c geqo=off -c jit=off", Database.WithoutJit("Host=db;Database=kawal;Options=-c geqo=off"), StringComparison.Ordinal);
        Assert.DoesNotContain("jit=off", Database.WithoutJit("Host=db;Database=kawal;Options=-c jit=on"), StringComparison.Ordinal);
    }
}
