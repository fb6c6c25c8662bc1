using Dapper;
using Kawal.Data;
using Kawal.Testing;

namespace Kawal.Tests.Data;

public class TypeHandlerTests
{
    private sealed class Row
    {
        public long Id { get; set; }
        public DateOnly Day { get; set; }
        public DateOnly? MaybeDay { get; set; }
        public Period Month { get; set; }
        public Rupiah Amount { get; set; }
        public DateTimeOffset At { get; set; }
    }

    [EngineTheory]
    public async Task Kawal_types_round_trip(Engine engine)
    {
        await using var t = await TestDatabase.CreateAsync(engine);
        await using var c = await t.Database.OpenAsync();
        await c.ExecuteAsync(engine == Engine.Postgres
            ? "CREATE TABLE samples (id bigint PRIMARY KEY, day date NOT NULL, maybe_day date NULL, month char(7) NOT NULL, amount bigint NOT NULL, at timestamptz NOT NULL)"
            : "CREATE TABLE samples (id INTEGER PRIMARY KEY, day TEXT NOT NULL, maybe_day TEXT NULL, month TEXT NOT NULL, amount INTEGER NOT NULL, at TEXT NOT NULL)");
        var rows = new[]
        {
            new Row { Id = 1, Day = new DateOnly(2021, 3, 25), MaybeDay = null, Month = Period.Parse("2026-03"), Amount = new Rupiah(1_159_389), At = new DateTimeOffset(2026, 11, 21, 5, 0, 0, TimeSpan.FromHours(7)) },
            new Row { Id = 2, Day = new DateOnly(1, 1, 1), MaybeDay = new DateOnly(9999, 12, 31), Month = Period.Parse("1900-01"), Amount = new Rupiah(long.MaxValue), At = new DateTimeOffset(2000, 2, 29, 23, 59, 59, 123, TimeSpan.Zero) },
            new Row { Id = 3, Day = new DateOnly(2024, 2, 29), MaybeDay = new DateOnly(2025, 2, 7), Month = Period.Parse("2020-12"), Amount = new Rupiah(-5_400), At = new DateTimeOffset(2022, 12, 8, 0, 0, 0, TimeSpan.Zero) },
        };
        await c.ExecuteAsync("INSERT INTO samples (id, day, maybe_day, month, amount, at) VALUES (@Id, @Day, @MaybeDay, @Month, @Amount, @At)", rows);

        var back = (await c.QueryAsync<Row>("SELECT id AS Id, day AS Day, maybe_day AS MaybeDay, month AS Month, amount AS Amount, at AS At FROM samples ORDER BY id")).ToList();

        Assert.Equal(rows.Length, back.Count);
        for (var i = 0; i < rows.Length; i++)
        {
            Assert.Equal(rows[i].Day, back[i].Day);
            Assert.Equal(rows[i].MaybeDay, back[i].MaybeDay);
            Assert.Equal(rows[i].Month, back[i].Month);
            Assert.Equal(rows[i].Amount, back[i].Amount);
            Assert.Equal(rows[i].At.UtcDateTime, back[i].At.UtcDateTime);
        }
    }

    [EngineTheory]
    public async Task Dates_compare_and_sum_correctly_in_sql(Engine engine)
    {
        await using var t = await TestDatabase.CreateAsync(engine);
        await using var c = await t.Database.OpenAsync();
        await c.ExecuteAsync(engine == Engine.Postgres
            ? "CREATE TABLE money (day date NOT NULL, amount bigint NOT NULL)"
            : "CREATE TABLE money (day TEXT NOT NULL, amount INTEGER NOT NULL)");
        await c.ExecuteAsync("INSERT INTO money (day, amount) VALUES (@Day, @Amount)", new[]
        {
            new { Day = new DateOnly(2025, 2, 6), Amount = new Rupiah(4_000_000_000_000_000_000) },
            new { Day = new DateOnly(2025, 2, 7), Amount = new Rupiah(4_000_000_000_000_000_000) },
            new { Day = new DateOnly(2025, 10, 1), Amount = new Rupiah(1) },
        });

        var total = await c.ExecuteScalarAsync<long>("SELECT sum(amount) FROM money WHERE day >= @From", new { From = new DateOnly(2025, 2, 7) });

        Assert.Equal(4_000_000_000_000_000_001, total);
    }
}
