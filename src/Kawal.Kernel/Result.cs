namespace Kawal;

/// <summary>A validation or domain error: a stable code, a message in Indonesian and English, the field at fault.</summary>
public sealed record Error(string Code, string MessageId, string MessageEn, string? Field = null)
{
    public static Error Invalid(string code, string id, string en, string? field = null) => new(code, id, en, field);

    public override string ToString() => $"{Code}: {MessageEn}";
}

/// <summary>Either a value or an error. Used where failure is an expected outcome (validation), not an exception.</summary>
public readonly struct Result<T>
{
    private readonly T? _value;

    private Result(T value)
    {
        _value = value;
        Error = null;
    }

    private Result(Error error)
    {
        _value = default;
        Error = error;
    }

    public Error? Error { get; }
    public bool IsOk => Error is null;

    public T Value => IsOk ? _value! : throw new InvalidOperationException($"no value: {Error}");

    public static implicit operator Result<T>(T value) => new(value);
    public static implicit operator Result<T>(Error error) => new(error);

}
