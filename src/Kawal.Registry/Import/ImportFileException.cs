namespace Kawal.Registry.Import;

/// <summary>The file cannot be read at all (missing, empty, binary, wrong encoding, missing columns): nothing is imported.</summary>
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
}
