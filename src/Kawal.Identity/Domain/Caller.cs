namespace Kawal.Identity;

/// <summary>
/// Who is asking: a signed-in person, an API key, an operator at the server's shell, or the anonymous public.
/// Every handler that reads or writes personal or regional data takes one and applies its scope.
/// </summary>
public sealed record Caller(string Actor, Role Role, RegionScope Scope, IReadOnlySet<Permission> Permissions, string? EmployerNpp = null)
{
    /// <summary>The anonymous public: aggregate figures only.</summary>
    public static Caller Anonymous { get; } = new("anonymous", Role.Public, RegionScope.National, Identity.Permissions.Of(Role.Public));

    /// <summary>An operator running <c>kawal</c> on the server: full rights, audited as <c>cli:NAME</c>.</summary>
    public static Caller Operator(string name) => new($"cli:{name}", Role.Admin, RegionScope.National, Identity.Permissions.Of(Role.Admin));

    private readonly string? _person;

    /// <summary>
    /// The natural person behind the caller, for four eyes: a signed-in user is itself (<c>user:NAME</c>); an API key is
    /// the user who created it (keys belong to a user), so an administrator who mints a key of another role and uses it
    /// is still the same person.
    /// </summary>
    public string Person { get => _person ?? Actor; init => _person = value; }

    public bool Has(Permission permission) => Permissions.Contains(permission);

    /// <summary>Throws <see cref="ForbiddenException"/> unless the caller holds the permission.</summary>
    public void Demand(Permission permission)
    {
        if (!Has(permission))
        {
            throw new ForbiddenException($"{Actor} ({Role.Name()}) lacks the permission {permission.Name()}") { Indonesian = $"Peran Anda ({Role.LabelId()}) tidak berwenang {permission.LabelId()}." };
        }
    }

    /// <summary>NIK as this caller may see it: whole with <see cref="Permission.PersonalData"/>, else masked.</summary>
    public string ShowNik(string nik) => Has(Permission.PersonalData) ? nik : Nik.Mask(nik);

    /// <summary>A birth date as this caller may see it: the date (ISO) with <see cref="Permission.PersonalData"/>, else the year only.</summary>
    public string ShowBirth(DateOnly birth) => Has(Permission.PersonalData) ? birth.ToIso() : birth.Year.ToString("0000", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Whether aggregate figures reach this caller exactly, small cells included: when it may read the records they count
    /// — with personal data (officers, administrators), or the registry, claims and bills of its whole scope (the
    /// national monitoring team, whose masked lists already hold every person the figures count). Everyone else — the
    /// public, prosecutors — reads the disclosure-controlled figures (<see cref="DisclosureTable"/>; docs/security.md
    /// § Public figures). The one place that decides it.
    /// </summary>
    public bool ExactFigures => Has(Permission.PersonalData) || (Has(Permission.RegistryRead) && Has(Permission.ClaimsRead) && Has(Permission.ContributionsRead));

    /// <summary>Sex as this caller may see it: only with <see cref="Permission.PersonalData"/> (beside a masked NIK it narrows the hidden digits).</summary>
    public string? ShowSex(string sex) => Has(Permission.PersonalData) ? sex : null;
}

/// <summary>The caller is known but the action is outside their role (HTTP 403).</summary>
public sealed class ForbiddenException : KawalException
{
    public ForbiddenException(string message)
        : base(message)
    {
    }

    public ForbiddenException()
    {
    }

    public ForbiddenException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
