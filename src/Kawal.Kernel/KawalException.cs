namespace Kawal;

/// <summary>
/// A failure with a message meant for the person running Kawal: one clear line, no stack trace.
/// The CLI prints <see cref="Exception.Message"/> and exits 1.
/// </summary>
public class KawalException : Exception
{
    public KawalException(string message)
        : base(message)
    {
    }

    public KawalException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public KawalException()
    {
    }
}

/// <summary>A request or command line that is wrong in itself (bad value, unknown option). The CLI exits 2.</summary>
public class UsageException : KawalException
{
    public UsageException(string message, string? field = null)
        : base(message) => Field = field;

    public UsageException()
    {
    }

    public UsageException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>The input field at fault, when there is one (API ProblemDetails names it).</summary>
    public string? Field { get; }
}
