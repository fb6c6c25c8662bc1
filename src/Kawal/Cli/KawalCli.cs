using System.CommandLine;

namespace Kawal.Cli;

/// <summary>
/// The command line. Exit codes: 0 ok, 1 failure, 2 bad usage. Errors are one line on standard error
/// (set <c>KAWAL_DEBUG=1</c> to see the stack trace of an unexpected one).
/// </summary>
public static class KawalCli
{
    public static async Task<int> RunAsync(string[] args, TextWriter? stdout = null, TextWriter? stderr = null, TextReader? stdin = null)
    {
        var io = new CliIO(stdout ?? Console.Out, stderr ?? Console.Error, stdin);
        var root = BuildRoot(io);
        var parse = root.Parse(args);
        if (parse.CommandResult.Command == root && !args.Any(IsHelpOrVersion))
        {
            parse = root.Parse(["serve", .. args]); // serve is the default verb
        }

        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await io.Err.WriteLineAsync($"kawal: {error.Message}");
            }

            await io.Err.WriteLineAsync("Run 'kawal --help' for usage.");
            return ExitCodes.Usage;
        }

        return await parse.InvokeAsync(new InvocationConfiguration { Output = io.Out, Error = io.Err, ProcessTerminationTimeout = null });
    }

    private static bool IsHelpOrVersion(string arg) => arg is "-h" or "--help" or "-?" or "/?" or "/h" or "--version";

    private static RootCommand BuildRoot(CliIO io)
    {
        var root = new RootCommand("Kawal: monitoring Jamsostek coverage under Inpres 2/2021 (serve is the default command).");
        root.Options.Add(CliOptions.Database);
        root.Options.Add(CliOptions.CreateDatabase);
        root.Subcommands.Add(ServeCommand.Build(io));
        root.Subcommands.Add(DbCommands.Build(io));
        root.Subcommands.Add(RegionsCommands.Build(io));
        root.Subcommands.Add(CalcCommands.Build(io));
        root.Subcommands.Add(ImportCommands.Build(io));
        root.Subcommands.Add(UserCommands.Build(io));
        root.Subcommands.Add(ApiKeyCommands.Build(io));
        root.Subcommands.Add(AuditCommands.Build(io));
        root.Subcommands.Add(ContributionCommands.Billing(io));
        root.Subcommands.Add(ContributionCommands.Payments(io));
        root.Subcommands.Add(ContributionCommands.Payers(io));
        root.Subcommands.Add(ClaimCommands.Claims(io));
        root.Subcommands.Add(ClaimCommands.Pensions(io));
        root.Subcommands.Add(ClaimCommands.Jht(io));
        root.Subcommands.Add(ComplianceCommands.Build(io));
        root.Subcommands.Add(MonevCommands.Monev(io));
        root.Subcommands.Add(MonevCommands.Report(io));
        root.Subcommands.Add(DemoCommands.Build(io));
        return root;
    }
}

public static class ExitCodes
{
    public const int Ok = 0;
    public const int Failure = 1;
    public const int Usage = 2;
}

/// <summary>Where a command writes: standard output for results, standard error for messages.</summary>
public sealed record CliIO(TextWriter Out, TextWriter Err, TextReader? In = null)
{
    /// <summary>
    /// A secret from standard input (its first line) when input is redirected or given, else typed at a prompt
    /// without echo. Never from the command line, where it would stay in the shell's history.
    /// </summary>
    public async Task<string> ReadSecretAsync(string prompt)
    {
        if (In is not null || Console.IsInputRedirected)
        {
            return (await (In ?? Console.In).ReadLineAsync())?.TrimEnd('\r') ?? throw new UsageException("no password on standard input", "password");
        }

        await Err.WriteAsync(prompt);
        var text = new System.Text.StringBuilder();
        for (var key = Console.ReadKey(intercept: true); key.Key != ConsoleKey.Enter; key = Console.ReadKey(intercept: true))
        {
            if (key.Key == ConsoleKey.Backspace)
            {
                text.Length = Math.Max(0, text.Length - 1);
            }
            else if (!char.IsControl(key.KeyChar))
            {
                text.Append(key.KeyChar);
            }
        }

        await Err.WriteLineAsync();
        return text.ToString();
    }
}
