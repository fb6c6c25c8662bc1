namespace Kawal.Registry.Domain;

/// <summary>The codes of the registry, as written in files and the API (the UI shows Indonesian labels).</summary>
public static class Codes
{
    public static readonly string[] EmployerKinds = ["private", "bumn", "bumd", "central_gov", "regional_gov", "village", "other"];
    public static readonly string[] Sizes = ["micro", "small", "medium", "large"];
    public static readonly string[] Segments = ["PU", "BPU", "JAKON", "PMI"];
    public static readonly string[] Categories = ["regular", "non_asn", "village_apparatus", "rt_rw", "election_organiser", "vulnerable"];
    public static readonly string[] Occupations = ["farmer", "fisher", "trader", "driver", "labourer", "porter", "parking_attendant", "artisan", "other"];
    public static readonly string[] PayerKinds = ["employer", "self", "apbd", "apbdes", "csr", "baznas"];
    public static readonly string[] GovernmentKinds = ["central_gov", "regional_gov"];
}

/// <summary>Who pays a membership's contributions: <c>employer</c>, <c>self</c>, <c>apbd:CODE</c>, <c>apbdes:CODE</c>, <c>csr:NAME</c>, <c>baznas</c>.</summary>
public sealed record Payer(string Kind, string? Reference)
{
    public override string ToString() => Reference is null ? Kind : $"{Kind}:{Reference}";

    public static Payer? Parse(string text)
    {
        var s = text.Trim();
        var colon = s.IndexOf(':', StringComparison.Ordinal);
        var kind = (colon < 0 ? s : s[..colon]).Trim().ToLowerInvariant();
        var reference = colon < 0 ? null : s[(colon + 1)..].Trim();
        return kind switch
        {
            "employer" or "self" or "baznas" when reference is null => new Payer(kind, null),
            "apbd" or "apbdes" or "csr" when !string.IsNullOrEmpty(reference) => new Payer(kind, reference),
            _ => null,
        };
    }
}
