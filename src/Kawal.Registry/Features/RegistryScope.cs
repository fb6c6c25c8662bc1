using Dapper;
using Kawal.Identity;

namespace Kawal.Registry.Features;

/// <summary>
/// The caller's scope as SQL, applied by every registry read (and by writes that must find a record first). An
/// employer account sees its own employer and the people it employs; an officer sees employers of their region, and
/// people living there or holding a membership reported there (and only those memberships); national roles see all.
/// Binds <c>@ScopeRegion</c> and <c>@ScopeEmployer</c> (<see cref="Bind"/>).
/// </summary>
internal static class RegistryScope
{
    public static string Participant(Caller c, string p) =>
        c.EmployerNpp is not null
            ? $"EXISTS (SELECT 1 FROM memberships sm JOIN employers se ON se.id = sm.employer_id WHERE sm.participant_id = {p}.id AND se.npp = @ScopeEmployer)"
            : c.Scope.IsNational ? "1 = 1"
            : $"({c.Scope.Sql(p + ".domicile_region_code")} OR EXISTS (SELECT 1 FROM memberships sm WHERE sm.participant_id = {p}.id AND {c.Scope.Sql("sm.region_code")}))";

    public static string Membership(Caller c, string m) =>
        c.EmployerNpp is not null ? $"{m}.employer_id = (SELECT id FROM employers WHERE npp = @ScopeEmployer)" : c.Scope.Sql(m + ".region_code");

    public static string Employer(Caller c, string e) => c.EmployerNpp is not null ? $"{e}.npp = @ScopeEmployer" : c.Scope.Sql(e + ".region_code");

    public static DynamicParameters Bind(DynamicParameters args, Caller c)
    {
        args.Add("ScopeRegion", c.Scope.Parameter);
        args.Add("ScopeEmployer", c.EmployerNpp ?? "");
        return args;
    }

    public static DynamicParameters Args(Caller c, object? values = null) => Bind(new DynamicParameters(values), c);
}
