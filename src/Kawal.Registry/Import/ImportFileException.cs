namespace Kawal.Registry.Import;

/// <summary>
/// The file cannot be read at all (missing, empty, binary, wrong encoding, missing columns, past an upload limit): nothing is
/// imported. <see cref="KawalException.Indonesian"/> carries the same message in Indonesian.
/// </summary>
public sealed class ImportFileException : KawalException
{
    public ImportFileException(string code, string message)
        : base(message) => Code = code;

    public ImportFileException()
    {
    }

    public ImportFileException(string message)
        : base(message)
    {
    }

    public ImportFileException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public string Code { get; } = "file";

    /// <summary>The spreadsheet row at fault, when there is one (the header is row 1).</summary>
    public int? Row { get; init; }

    /// <summary>The ledger entry that records the refusal (status <c>failed</c>), once the import runner has written it.</summary>
    public long? ImportId { get; internal set; }
}
