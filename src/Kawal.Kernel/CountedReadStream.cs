namespace Kawal;

/// <summary>
/// A read-only, forward-only stream over another that shows every chunk it reads to <see cref="Counted"/>, which may
/// refuse it by throwing: how a reader is held to a number of bytes that the data's own headers cannot be trusted to state.
/// </summary>
public abstract class CountedReadStream(Stream inner, bool ownsInner) : Stream
{
    /// <summary>The bytes read so far, the chunk being counted included.</summary>
    protected long BytesRead { get; private set; }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => BytesRead;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = inner.Read(buffer);
        Count(buffer[..n]);
        return n;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await inner.ReadAsync(buffer, cancellationToken);
        Count(buffer.Span[..n]);
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <summary>Sees a chunk just read (<see cref="BytesRead"/> already includes it); throws to stop the reading.</summary>
    protected abstract void Counted(ReadOnlySpan<byte> data);

    protected override void Dispose(bool disposing)
    {
        if (disposing && ownsInner)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private void Count(ReadOnlySpan<byte> data)
    {
        BytesRead += data.Length;
        Counted(data);
    }
}
