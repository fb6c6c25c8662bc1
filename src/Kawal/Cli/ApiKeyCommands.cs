using System.CommandLine;
using Kawal.Identity;
using Kawal.Identity.Web;
using Microsoft.Extensions.DependencyInjection;

namespace Kawal.Cli;

/// <summary><c>kawal api-keys create|list|revoke</c>. <c>create</c> prints the key once, alone on its last line.</summary>
internal static class ApiKeyCommands
{
    public static Command Build(CliIO io)
    {
        var keys = new Command("api-keys", "API keys for machine clients (licensing services, partner systems)");
        keys.Subcommands.Add(Create(io));
        keys.Subcommands.Add(List(io));
        keys.Subcommands.Add(Revoke(io));
        return keys;
    }

    private static Command Create(CliIO io)
    {
        var name = new Option<string>("--name") { Description = "Who uses the key, e.g. 'DPMPTSP Kab. Malang'", Required = true };
        var role = new Option<string>("--role") { Description = "The role the key acts as", Required = true };
        var region = new Option<string?>("--region") { Description = "Region code for officer roles" };
        var employer = new Option<string?>("--employer") { Description = "Employer NPP, for the employer role" };
        var scopes = new Option<string[]>("--scopes") { Description = "Permissions the key may use (default: all of its role's)", AllowMultipleArgumentsPerToken = true };
        var command = new Command("create", "Create an API key; the key is printed once, on the last line") { name, role, region, employer, scopes };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(io, async () =>
        {
            await using var sp = CommandRunner.Services(CliOptions.ResolveDatabase(parse));
            await CommandRunner.EnsureSchemaAsync(sp, ct);
            var list = (parse.GetValue(scopes) ?? []).SelectMany(s => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
            var created = await sp.GetRequiredService<ApiKeyStore>().CreateAsync(
                new NewApiKey(parse.GetValue(name)!, Roles.Parse(parse.GetValue(role)!), parse.GetValue(region), parse.GetValue(employer), list), UserCommands.Operator(), ct);
            var k = created.Info;
            await io.Out.WriteLineAsync($"created API key {k.Prefix} \"{k.Name}\" ({k.Role.Name()}{(k.RegionCode is null ? "" : ", " + k.RegionCode)}; scopes {string.Join(' ', k.Scopes)})");
            await io.Out.WriteLineAsync("store it now: it is not shown again");
            await io.Out.WriteLineAsync(created.Secret);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command List(CliIO io)
    {
        var json = CliOptions.Json();
        var command = new Command("list", "All keys (prefix, name, role, scopes, last use; never the key)") { json };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(io, async () =>
        {
            await using var sp = CommandRunner.Services(CliOptions.ResolveDatabase(parse));
            await CommandRunner.EnsureSchemaAsync(sp, ct);
            var keys = await sp.GetRequiredService<ApiKeyStore>().ListAsync(UserCommands.Operator(), ct);
            if (parse.GetValue(json))
            {
                await CommandRunner.WriteJsonAsync(io, keys.Select(ApiKeyDto.From));
                return ExitCodes.Ok;
            }

            foreach (var k in keys)
            {
                await io.Out.WriteLineAsync($"{k.Prefix} {k.Role.Name(),-17} {k.RegionCode ?? "national",-8} {(k.RevokedAt is null ? "active " : "revoked")} {k.Name} [{string.Join(' ', k.Scopes)}]");
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Revoke(CliIO io)
    {
        var prefix = new Argument<string>("prefix") { Description = "The key's prefix (kawal api-keys list)" };
        var command = new Command("revoke", "Revoke a key: it is refused from the next request") { prefix };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(io, async () =>
        {
            await using var sp = CommandRunner.Services(CliOptions.ResolveDatabase(parse));
            await CommandRunner.EnsureSchemaAsync(sp, ct);
            await sp.GetRequiredService<ApiKeyStore>().RevokeAsync(parse.GetValue(prefix)!, UserCommands.Operator(), ct);
            await io.Out.WriteLineAsync($"revoked {parse.GetValue(prefix)}");
            return ExitCodes.Ok;
        }));
        return command;
    }
}
