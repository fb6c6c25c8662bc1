using System.CommandLine;
using Kawal.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Kawal.Cli;

/// <summary>
/// <c>kawal users add|list|disable|enable|password|demo</c>: accounts from the server's shell (the first administrator
/// is created this way). The operator acts as <c>cli:USER</c> with full rights; every change is audited.
/// </summary>
internal static class UserCommands
{
    public static Command Build(CliIO io)
    {
        var users = new Command("users", "User accounts: add, list, disable, enable, set a password, create the demo accounts");
        users.Subcommands.Add(Add(io));
        users.Subcommands.Add(List(io));
        users.Subcommands.Add(SetActive(io, "disable", false));
        users.Subcommands.Add(SetActive(io, "enable", true));
        users.Subcommands.Add(Password(io));
        users.Subcommands.Add(Demo(io));
        return users;
    }

    internal static Caller Operator() => Caller.Operator(Environment.UserName);

    private static Command Add(CliIO io)
    {
        var username = new Option<string>("--username") { Description = "Login name: lowercase letters, digits, . _ -", Required = true };
        var role = new Option<string>("--role") { Description = $"One of {string.Join(", ", Roles.All.Select(r => r.Name()))}", Required = true };
        var region = new Option<string?>("--region") { Description = "Province (35) or regency/city (35.07) code for officers" };
        var employer = new Option<string?>("--employer") { Description = "Employer NPP, for the employer role" };
        var name = new Option<string?>("--name") { Description = "Full name shown in the application" };
        var command = new Command("add", "Create a user; the password is read from standard input or typed at a prompt") { username, role, region, employer, name };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(io, async () =>
        {
            await using var sp = CommandRunner.Services(CliOptions.ResolveDatabase(parse));
            await CommandRunner.EnsureSchemaAsync(sp, ct);
            var parsedRole = Roles.Parse(parse.GetValue(role)!);
            var password = await io.ReadSecretAsync("Password: ");
            var user = await sp.GetRequiredService<UserStore>().AddAsync(
                new NewUser(parse.GetValue(username)!, parse.GetValue(name), parsedRole, parse.GetValue(region), parse.GetValue(employer), password), Operator(), ct);
            await io.Out.WriteLineAsync($"created user {user.Username} ({user.Role.Name()}{(user.RegionCode is null ? "" : ", " + user.RegionCode)})");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command List(CliIO io)
    {
        var json = CliOptions.Json();
        var command = new Command("list", "All accounts with role, region and status") { json };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(io, async () =>
        {
            await using var sp = CommandRunner.Services(CliOptions.ResolveDatabase(parse));
            await CommandRunner.EnsureSchemaAsync(sp, ct);
            var list = await sp.GetRequiredService<UserStore>().ListAsync(Operator(), ct);
            if (parse.GetValue(json))
            {
                await CommandRunner.WriteJsonAsync(io, list.Select(Kawal.Identity.Web.UserDto.From));
                return ExitCodes.Ok;
            }

            foreach (var u in list)
            {
                await io.Out.WriteLineAsync($"{u.Username,-24} {u.Role.Name(),-17} {u.RegionCode ?? "national",-8} {(u.IsActive ? "active" : "disabled")}{(u.IsDemo ? " demo" : "")}");
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command SetActive(CliIO io, string verb, bool active)
    {
        var username = new Argument<string>("username");
        var command = new Command(verb, active ? "Re-enable an account" : "Disable an account (its sessions end at their next request)") { username };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(io, async () =>
        {
            await using var sp = CommandRunner.Services(CliOptions.ResolveDatabase(parse));
            await CommandRunner.EnsureSchemaAsync(sp, ct);
            await sp.GetRequiredService<UserStore>().SetActiveAsync(parse.GetValue(username)!, active, Operator(), ct);
            await io.Out.WriteLineAsync($"{verb}d {parse.GetValue(username)}");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Password(CliIO io)
    {
        var username = new Argument<string>("username");
        var command = new Command("password", "Set a new password (from standard input or a prompt); clears a lockout and ends sessions") { username };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(io, async () =>
        {
            await using var sp = CommandRunner.Services(CliOptions.ResolveDatabase(parse));
            await CommandRunner.EnsureSchemaAsync(sp, ct);
            var password = await io.ReadSecretAsync("New password: ");
            await sp.GetRequiredService<UserStore>().SetPasswordAsync(parse.GetValue(username)!, password, Operator(), ct);
            await io.Out.WriteLineAsync($"password of {parse.GetValue(username)} changed");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Demo(CliIO io)
    {
        var command = new Command("demo", $"Create one demo account per role (password {DemoUsers.Password}; see docs/security.md). For trying Kawal only.");
        command.SetAction((parse, ct) => CommandRunner.RunAsync(io, async () =>
        {
            await using var sp = CommandRunner.Services(CliOptions.ResolveDatabase(parse));
            await CommandRunner.EnsureSchemaAsync(sp, ct);
            var created = await DemoAccounts.EnsureAsync(sp, ct);
            await io.Out.WriteLineAsync($"demo accounts: {created} created, {DemoUsers.Accounts.Count - created} already present (password {DemoUsers.Password})");
            return ExitCodes.Ok;
        }));
        return command;
    }
}
