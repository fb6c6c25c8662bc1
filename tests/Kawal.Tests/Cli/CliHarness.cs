using Kawal.Cli;

namespace Kawal.Tests.Cli;

/// <summary>Runs the kawal command line in-process with its real parsing, handlers and databases.</summary>
internal static class CliHarness
{
    public static async Task<(int Exit, string Out, string Err)> Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await KawalCli.RunAsync(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
