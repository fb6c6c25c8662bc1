using System.CommandLine;

namespace Kawal.Cli;

/// <summary>
/// The command line. Exit codes: 0 ok, 1 failure, 2 bad usage. Errors are one line on standard error
/// (set <c>KAWAL_DEBUG=1</c> to see the stack trace of an unexpected one).
/// </summary>
public static class KawalCli
{
    public static async Task<int> RunAsync(string[] args, TextWriter? stdout = null, TextWriter? stderr = null)
    {
        var io = new CliIO(stdout ?? Console.Out, stderr ?? Console.Error);
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
        root.Subcommands.Add(ServeCommand.Build(io));
        root.Subcommands.Add(DbCommands.Build(io));
        root.Subcommands.Add(RegionsCommands.Build(io));
        root.Subcommands.Add(CalcCommands.Build(io));
        root.Subcommands.Add(ImportCommands.Build(io));
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
public sealed record CliIO(TextWriter Out, TextWriter Err);
