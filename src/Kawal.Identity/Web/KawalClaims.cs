using System.Security.Claims;
using Microsoft.AspNetCore.Http;

namespace Kawal.Identity.Web;

/// <summary>The claims a signed-in person or an API key carries, and the <see cref="Caller"/> they make.</summary>
public static class KawalClaims
{
    public const string Actor = "kawal:actor";
    public const string Role = "kawal:role";
    public const string Region = "kawal:region";
    public const string Employer = "kawal:employer";
    public const string Permission = "kawal:perm";
    public const string Stamp = "kawal:stamp";
    public const string KeyId = "kawal:key";

    /// <summary>The natural person behind a key (<see cref="Caller.Person"/>).</summary>
    public const string Person = "kawal:person";

    /// <summary>The token of a person's server-side session (<see cref="SessionStore"/>).</summary>
    public const string Session = "kawal:session";

    public static ClaimsPrincipal Principal(Caller caller, string scheme, IEnumerable<Claim> extra)
    {
        var claims = new List<Claim>(extra)
        {
            new(ClaimTypes.Name, caller.Actor),
            new(Actor, caller.Actor),
            new(Role, caller.Role.Name()),
        };
        if (caller.Scope.Code is { } region)
        {
            claims.Add(new Claim(Region, region));
        }

        if (caller.EmployerNpp is { } npp)
        {
            claims.Add(new Claim(Employer, npp));
        }

        if (caller.Person != caller.Actor)
        {
            claims.Add(new Claim(Person, caller.Person));
        }

        claims.AddRange(caller.Permissions.Select(p => new Claim(Permission, p.Name())));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme, ClaimTypes.Name, null));
    }

    /// <summary>The caller behind a request: the anonymous public when nobody is signed in.</summary>
    public static Caller ToCaller(this ClaimsPrincipal user)
    {
        if (user.Identity?.IsAuthenticated != true || user.FindFirst(Actor) is not { } actor)
        {
            return Caller.Anonymous;
        }

        var role = Roles.Parse(user.FindFirst(Role)!.Value);
        var permissions = user.FindAll(Permission).Select(c => Permissions.Parse(c.Value)).ToHashSet();
        var caller = Principals.Caller(actor.Value, role, user.FindFirst(Region)?.Value, user.FindFirst(Employer)?.Value, permissions);
        return user.FindFirst(Person) is { } person ? caller with { Person = person.Value } : caller;
    }
}

public static class HttpCaller
{
    /// <summary>The caller of this request (see <see cref="KawalClaims.ToCaller"/>).</summary>
    public static Caller Caller(this HttpContext http) => http.User.ToCaller();
}
