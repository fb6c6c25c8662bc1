namespace Kawal.Data;

/// <summary>
/// Where a bulk-inserted row's values go, in column order (<see cref="MultiRow"/>): the next field of a PostgreSQL binary
/// COPY row, or the next parameter of a SQLite statement. A row must give exactly one value per column.
/// </summary>
public abstract class RowValues(string table, int columns)
{
    private int _given;

    protected string Table { get; } = table;

    protected int Columns { get; } = columns;

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
        Position = rowInStatement * Columns;
    }

    internal void End()
    {
        if (_given != Columns)
        {
            throw new ArgumentException($"a row for {Table} gave {_given} values for {Columns} columns");
        }
    }

    private void Next()
    {
        if (++_given > Columns)
        {
            throw new ArgumentException($"a row for {Table} gave more values than its {Columns} columns");
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

/// <summary>
/// Rows in PostgreSQL's binary COPY format (https://www.postgresql.org/docs/current/sql-copy.html, "Binary Format"),
/// encoded into one buffer that <see cref="MultiRow"/> sends through Npgsql's raw COPY stream: per row a 16-bit field
/// count, per field a 32-bit length (-1 for NULL) and the value in network byte order — bigint 8 bytes, integer 4,
/// smallint 2, boolean 1, text UTF-8, date days since 2000-01-01, timestamptz microseconds since 2000-01-01 UTC
/// (the largest and smallest .NET values as ±infinity, as Npgsql writes them). Npgsql's own importer resolves and
/// checks each value's type per call: a third of a billing run's client time.
/// </summary>
internal sealed class CopyValues(string table, int columns) : RowValues(table, columns)
{
    private static readonly byte[] Header = [(byte)'P', (byte)'G', (byte)'C', (byte)'O', (byte)'P', (byte)'Y', (byte)'\n', 0xFF, (byte)'\r', (byte)'\n', 0, 0, 0, 0, 0, 0, 0, 0, 0];
    private static readonly DateOnly DateEpoch = new(2000, 1, 1);
    private static readonly long TimestampEpochTicks = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;
    private readonly short _columns = checked((short)columns);
    private byte[] _buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(1 << 16);

    /// <summary>Bytes encoded and not yet sent.</summary>
    public int Length { get; private set; }

    public ReadOnlyMemory<byte> Pending => _buffer.AsMemory(0, Length);

    public void BeginCopy() => Put(Header);

    public void BeginRow()
    {
        Start();
        Room(2).Int16(_columns);
    }

    public void EndCopy() => Room(2).Int16(-1);

    public void Sent() => Length = 0;

    public void Release()
    {
        System.Buffers.ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    protected override void WriteNull() => Room(4).Int32(-1);

    protected override void WriteLong(long value) => Room(12).Int32(8).Int64(value);

    protected override void WriteInt(int value) => Room(8).Int32(4).Int32(value);

    protected override void WriteBool(bool value)
    {
        Room(5).Int32(1);
        _buffer[Length++] = value ? (byte)1 : (byte)0;
    }

    protected override void WriteText(string value)
    {
        Room(4 + System.Text.Encoding.UTF8.GetMaxByteCount(value.Length));
        var bytes = System.Text.Encoding.UTF8.GetBytes(value, _buffer.AsSpan(Length + 4));
        Int32(bytes);
        Length += bytes;
    }

    protected override void WriteOther(object value)
    {
        switch (value)
        {
            case short h: Room(6).Int32(2).Int16(h); break;
            case DateOnly d: Room(8).Int32(4).Int32(d == DateOnly.MaxValue ? int.MaxValue : d == DateOnly.MinValue ? int.MinValue : d.DayNumber - DateEpoch.DayNumber); break;
            case DateTimeOffset t: Room(12).Int32(8).Int64(t == DateTimeOffset.MaxValue ? long.MaxValue : t == DateTimeOffset.MinValue ? long.MinValue : (t.UtcTicks - TimestampEpochTicks) / 10); break;
            case Period p: WriteText(p.ToString()); break;
            default: throw Unsupported(value);
        }
    }

    private void Put(ReadOnlySpan<byte> bytes)
    {
        Room(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(Length));
        Length += bytes.Length;
    }

    /// <summary>Makes room for <paramref name="bytes"/> more (a row stays whole in the buffer; it is sent between rows).</summary>
    private CopyValues Room(int bytes)
    {
        if (Length + bytes > _buffer.Length)
        {
            var larger = System.Buffers.ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, Length + bytes));
            _buffer.AsSpan(0, Length).CopyTo(larger);
            System.Buffers.ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }

        return this;
    }

    private CopyValues Int16(short value)
    {
        System.Buffers.Binary.BinaryPrimitives.WriteInt16BigEndian(_buffer.AsSpan(Length), value);
        Length += 2;
        return this;
    }

    private CopyValues Int32(int value)
    {
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(Length), value);
        Length += 4;
        return this;
    }

    private CopyValues Int64(long value)
    {
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(_buffer.AsSpan(Length), value);
        Length += 8;
        return this;
    }
}

/// <summary>The parameters of a prepared multi-row SQLite statement, bound by position through SQLitePCL.</summary>
internal sealed class SqliteBoundValues(SQLitePCL.sqlite3 db, string table, int columns) : RowValues(table, columns)
{
    private readonly (object? Value, string? Text)[] _last = new (object?, string?)[columns]; // a batch's rows share their timestamps: format each once

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
        ref var last = ref _last[(Position - 1) % Columns];
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
    private object?[] _row = [];

    public object?[] Row<T>(T row, Action<T, RowValues> write)
    {
        _row = new object?[Columns];
        Start();
        write(row, this);
        End();
        return _row;
    }

    protected override void WriteNull() => _row[Position - 1] = null;

    protected override void WriteLong(long value) => _row[Position - 1] = value;

    protected override void WriteInt(int value) => _row[Position - 1] = value;

    protected override void WriteText(string value) => _row[Position - 1] = value;

    protected override void WriteBool(bool value) => _row[Position - 1] = value;

    protected override void WriteOther(object value) => _row[Position - 1] = value;
}
