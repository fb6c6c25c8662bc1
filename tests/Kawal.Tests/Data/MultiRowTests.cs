using Dapper;
using Kawal.Data;
using Kawal.Testing;

namespace Kawal.Tests.Data;

/// <summary>Bulk inserts (<see cref="MultiRow"/>): typed rows and rows of boxed values write the same thing on both engines.</summary>
public class MultiRowTests
{
    private static readonly string[] Columns = ["id", "amount", "class", "label", "flag", "day", "at", "note"];
    private static readonly DateTimeOffset At = new(2026, 11, 21, 8, 30, 0, TimeSpan.FromHours(8));

    private sealed record Row(long Id, long Amount, int Class, string Label, bool Flag, DateOnly Day, string? Note);

    private static async Task<TestDatabase> TableAsync(Engine engine)
    {
        var t = await TestDatabase.CreateAsync(engine);
        await using var c = await t.Database.OpenAsync();
        await c.ExecuteAsync("CREATE TABLE bulk (id bigint PRIMARY KEY, amount bigint NOT NULL, class integer NOT NULL, label text NOT NULL, flag boolean NOT NULL, day date NOT NULL, at timestamptz NOT NULL, note text NULL)");
        return t;
    }

    private static void Typed(Row r, RowValues v)
    {
        v.Bigint(r.Id);
        v.Bigint(r.Amount);
        v.Int4(r.Class);
        v.Text(r.Label);
        v.Flag(r.Flag);
        v.Value(r.Day);
        v.Value(At);
        v.Value(r.Note);
    }

    private static async Task<List<(long, long, int, string, bool, string, string, string?)>> ReadAsync(TestDatabase t, long from)
    {
        await using var c = await t.Database.OpenAsync();
        var rows = await c.QueryAsync<(long Id, long Amount, int Class, string Label, bool Flag, DateOnly Day, DateTimeOffset At, string? Note)>(
            "SELECT id, amount, class, label, flag, day, at, note FROM bulk WHERE id >= @from ORDER BY id", new { from });
        return rows.Select(r => (r.Id - from, r.Amount, r.Class, r.Label, r.Flag, r.Day.ToIso(), r.At.ToUniversalTime().ToString("O", System.Globalization.CultureInfo.InvariantCulture), r.Note)).ToList();
    }

    [EngineTheory]
    public async Task Typed_rows_write_what_rows_of_boxed_values_write(Engine engine)
    {
        await using var t = await TableAsync(engine);
        var rows = Enumerable.Range(1, 120).Select(i => new Row(i, -5_000_000_000L * i, i % 3, $"baris {i}", i % 2 == 0, new DateOnly(2026, 1, 1).AddDays(i), i % 5 == 0 ? null : "catatan")).ToList();
        rows.Add(new Row(121, long.MaxValue, int.MinValue, "Siti Nurhaliza — “ñ” 漢字 😀", true, new DateOnly(1969, 12, 31), new string('x', 100_000))); // before 2000, a row larger than a COPY piece

        await using (var c = await t.Database.OpenAsync())
        await using (var tx = await c.BeginTransactionAsync())
        {
            await MultiRow.InsertAsync(c, tx, "bulk", Columns, rows, Typed, default);
            await MultiRow.InsertAsync(c, tx, "bulk", Columns, rows.Select(r => new object?[] { r.Id + 1000, r.Amount, r.Class, r.Label, r.Flag, r.Day, At, r.Note }).ToList(), default);
            await tx.CommitAsync();
        }

        var typed = await ReadAsync(t, 0);
        Assert.Equal(121 * 2, typed.Count);
        Assert.Equal(typed.Take(121), await ReadAsync(t, 1000));
        Assert.Equal((1L, -5_000_000_000L, 1, "baris 1", false, "2026-01-02", "2026-11-21T00:30:00.0000000+00:00", "catatan"), typed[0]);
        Assert.Null(typed[4].Item8);
        Assert.Equal((121L, long.MaxValue, int.MinValue, "Siti Nurhaliza — “ñ” 漢字 😀", true, "1969-12-31"), (typed[120].Item1, typed[120].Item2, typed[120].Item3, typed[120].Item4, typed[120].Item5, typed[120].Item6));
        Assert.Equal(100_000, typed[120].Item8!.Length);
    }

    [EngineTheory]
    public async Task A_row_giving_fewer_or_more_values_than_columns_is_refused_and_nothing_is_written(Engine engine)
    {
        await using var t = await TableAsync(engine);
        var rows = new List<Row> { new(1, 10, 1, "a", true, new DateOnly(2026, 1, 1), null), new(2, 20, 1, "b", true, new DateOnly(2026, 1, 1), null) };
        await using var c = await t.Database.OpenAsync();
        foreach (var (write, expected) in new (Action<Row, RowValues>, string)[]
        {
            ((r, v) => { Typed(r, v); v.Text("extra"); }, "a row for bulk gave more values than its 8 columns"),
            ((r, v) => { if (r.Id == 2) { v.Bigint(r.Id); return; } Typed(r, v); }, "a row for bulk gave 1 values for 8 columns"),
        })
        {
            await using var tx = await c.BeginTransactionAsync();
            var e = await Assert.ThrowsAsync<ArgumentException>(() => MultiRow.InsertAsync(c, tx, "bulk", Columns, rows, write, default));
            Assert.Equal(expected, e.Message);
            await tx.RollbackAsync();
        }

        Assert.Equal(0, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM bulk"));
    }

    [EngineTheory]
    public async Task Rows_inserted_ignoring_conflicts_return_only_the_rows_inserted(Engine engine)
    {
        await using var t = await TableAsync(engine);
        object?[] Row(long id, string label) => [id, id * 10, 1, label, false, new DateOnly(2026, 11, 1), At, null];

        await using var c = await t.Database.OpenAsync();
        await using var tx = await c.BeginTransactionAsync();
        await MultiRow.InsertAsync(c, tx, "bulk", Columns, [Row(2, "ada")], default);
        var inserted = await MultiRow.InsertIgnoringConflictsAsync<(long Id, string Label)>(c, tx, "bulk", Columns, [Row(1, "satu"), Row(2, "dua"), Row(3, "tiga")], "id, label", default);
        await tx.CommitAsync();

        Assert.Equal([(1L, "satu"), (3L, "tiga")], inserted.OrderBy(r => r.Id).ToList());
        Assert.Equal(["satu", "ada", "tiga"], await c.QueryAsync<string>("SELECT label FROM bulk ORDER BY id"));
    }
}
