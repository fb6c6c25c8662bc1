using NpgsqlTypes;

namespace Kawal.Data;

/// <summary>
/// Where a bulk-inserted row's values go, in column order (<see cref="MultiRow"/>): the next field of a PostgreSQL binary
/// COPY row, or the next parameter of a SQLite statement. A row must give exactly one value per column.
/// </summary>
public abstract class RowValues(string table, int columns)
{
    private int _given;
    private int _expected;

    protected string Table { get; } = table;

    /// <summary>The position of the next value in the statement (SQLite binds several rows per statement).</summary>
    protected int Position { get; private set; }

    public void Bigint(long value)
    {
        Next();
        WriteLong(value);
    }

    public void Int4(int value)
    {
        Next();
        WriteInt(value);
    }

    public void Text(string value)
    {
        Next();
        WriteText(value);
    }

    public void Flag(bool value)
    {
        Next();
        WriteBool(value);
    }

    /// <summary>A value of any type the engine's bulk insert accepts (null, numbers, text, dates, times, periods, rupiah).</summary>
    public void Value(object? value)
    {
        Next();
        switch (value)
        {
            case null: WriteNull(); break;
            case long l: WriteLong(l); break;
            case int i: WriteInt(i); break;
            case string s: WriteText(s); break;
            case bool b: WriteBool(b); break;
            case Rupiah r: WriteLong(r.Value); break;
            default: WriteOther(value); break;
        }
    }

    internal void Start(int rowInStatement = 0)
    {
        _given = 0;
        _expected = columns;
        Position = rowInStatement * columns;
    }

    internal void End()
    {
        if (_given != _expected)
        {
            throw new ArgumentException($"a row for {Table} gave {_given} values for {_expected} columns");
        }
    }

    private void Next()
    {
        if (++_given > _expected)
        {
            throw new ArgumentException($"a row for {Table} gave more values than its {_expected} columns");
        }

        Position++;
    }

    protected abstract void WriteNull();

    protected abstract void WriteLong(long value);

    protected abstract void WriteInt(int value);

    protected abstract void WriteText(string value);

    protected abstract void WriteBool(bool value);

    protected abstract void WriteOther(object value);

    protected ArgumentException Unsupported(object value) => new($"MultiRow cannot insert a {value.GetType().Name} into {Table}");
}

/// <summary>A binary COPY row, written synchronously into Npgsql's buffer.</summary>
internal sealed class CopyValues(Npgsql.NpgsqlBinaryImporter writer, string table, int columns) : RowValues(table, columns)
{
    protected override void WriteNull() => writer.WriteNull();

    protected override void WriteLong(long value) => writer.Write(value, NpgsqlDbType.Bigint);

    protected override void WriteInt(int value) => writer.Write(value, NpgsqlDbType.Integer);

    protected override void WriteText(string value) => writer.Write(value, NpgsqlDbType.Text);

    protected override void WriteBool(bool value) => writer.Write(value, NpgsqlDbType.Boolean);

    protected override void WriteOther(object value)
    {
        switch (value)
        {
            case short h: writer.Write(h, NpgsqlDbType.Smallint); break;
            case DateOnly d: writer.Write(d, NpgsqlDbType.Date); break;
            case DateTimeOffset t: writer.Write(t.ToUniversalTime(), NpgsqlDbType.TimestampTz); break;
            case Period p: writer.Write(p.ToString(), NpgsqlDbType.Text); break;
            default: throw Unsupported(value);
        }
    }
}

/// <summary>The parameters of a prepared multi-row SQLite statement, bound by position through SQLitePCL.</summary>
internal sealed class SqliteBoundValues(SQLitePCL.sqlite3 db, string table, int columns) : RowValues(table, columns)
{
    private readonly (object? Value, string? Text)[] _last = new (object?, string?)[columns]; // a batch's rows share their timestamps: format each once
    private readonly int _columns = columns;

    public SQLitePCL.sqlite3_stmt Statement { get; set; } = null!;

    protected override void WriteNull() => MultiRow.Check(SQLitePCL.raw.sqlite3_bind_null(Statement, Position), db);

    protected override void WriteLong(long value) => MultiRow.Check(SQLitePCL.raw.sqlite3_bind_int64(Statement, Position, value), db);

    protected override void WriteInt(int value) => MultiRow.Check(SQLitePCL.raw.sqlite3_bind_int64(Statement, Position, value), db);

    protected override void WriteText(string value) => MultiRow.Check(SQLitePCL.raw.sqlite3_bind_text(Statement, Position, value), db);

    protected override void WriteBool(bool value) => MultiRow.Check(SQLitePCL.raw.sqlite3_bind_int64(Statement, Position, value ? 1 : 0), db);

    protected override void WriteOther(object value) => MultiRow.Check(value switch
    {
        short h => SQLitePCL.raw.sqlite3_bind_int64(Statement, Position, h),
        double d => SQLitePCL.raw.sqlite3_bind_double(Statement, Position, d),
        byte[] bytes => SQLitePCL.raw.sqlite3_bind_blob(Statement, Position, bytes),
        _ => SQLitePCL.raw.sqlite3_bind_text(Statement, Position, Formatted(value)),
    }, db);

    private string Formatted(object value)
    {
        ref var last = ref _last[(Position - 1) % _columns];
        if (last.Text is null || !value.Equals(last.Value))
        {
            last = (value, SqliteValues.ToDb(value) as string ?? throw Unsupported(value));
        }

        return last.Text;
    }
}

/// <summary>A row collected as boxed values, for a connection that is neither engine's (multi-row INSERT with parameters).</summary>
internal sealed class BoxedValues(string table, int columns) : RowValues(table, columns)
{
    private List<object?> _row = [];

    public object?[] Row<T>(T row, Action<T, RowValues> write)
    {
        _row = [];
        Start();
        write(row, this);
        End();
        return [.. _row];
    }

    protected override void WriteNull() => _row.Add(null);

    protected override void WriteLong(long value) => _row.Add(value);

    protected override void WriteInt(int value) => _row.Add(value);

    protected override void WriteText(string value) => _row.Add(value);

    protected override void WriteBool(bool value) => _row.Add(value);

    protected override void WriteOther(object value) => _row.Add(value);
}
