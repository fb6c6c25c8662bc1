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

    /// <summary>
    /// The same message in Indonesian, where the code that throws has written it (pages show it to Indonesian readers;
    /// otherwise <see cref="Exception.Message"/>).
    /// </summary>
    public string? Indonesian { get; init; }
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

/// <summary>The request would duplicate something that exists (an NPP, a NIK, a username). HTTP 409.</summary>
public class ConflictException : KawalException
{
    public ConflictException(string message, string? field = null)
        : base(message) => Field = field;

    public ConflictException()
    {
    }

    public ConflictException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public string? Field { get; }
}

/// <summary>The record does not exist, or not within the caller's scope (the two are not told apart). HTTP 404.</summary>
public class NotFoundException : KawalException
{
    public NotFoundException(string message)
        : base(message)
    {
    }

    public NotFoundException()
    {
    }

    public NotFoundException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
