using System.CommandLine;
using System.Text;
using Kawal.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Kawal.Cli;

/// <summary><c>kawal audit verify</c> (exit 1 when the chain is broken) and <c>kawal audit export</c>.</summary>
internal static class AuditCommands
{
    public static Command Build(CliIO io)
    {
        var audit = new Command("audit", "The hash-chained audit log");
        audit.Subcommands.Add(Verify(io));
        audit.Subcommands.Add(Export(io));
        audit.Subcommands.Add(Checkpoint(io));
        return audit;
    }

    private static Command Verify(CliIO io)
    {
        var command = new Command("verify", "Recompute the keyed hash chain and compare it with the checkpoint file; exit 1 and name the first bad entry when it was rewritten, cut or its head reset");
        command.SetAction((parse, ct) => CommandRunner.RunAsync(io, async () =>
        {
            await using var sp = CommandRunner.Services(CliOptions.ResolveDatabase(parse));
            await CommandRunner.EnsureSchemaAsync(sp, ct);
            var v = await sp.GetRequiredService<AuditVerifier>().VerifyAsync(ct);
            if (!v.Ok)
            {
                throw new KawalException($"audit log BROKEN at entry {v.BrokenAt}: {v.Problem} ({v.Entries} entries verified before it)");
            }

            await io.Out.WriteLineAsync($"audit log intact: {v.Entries} entries verified");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Checkpoint(CliIO io)
    {
        var command = new Command("checkpoint", "Append a signed checkpoint of the audit chain's head to the checkpoint file (outside the database)");
        command.SetAction((parse, ct) => CommandRunner.RunAsync(io, async () =>
        {
            await using var sp = CommandRunner.Services(CliOptions.ResolveDatabase(parse));
            await CommandRunner.EnsureSchemaAsync(sp, ct);
            var checkpoints = sp.GetRequiredService<AuditCheckpoints>();
            var cp = await checkpoints.WriteAsync(ct);
            await io.Out.WriteLineAsync($"checkpoint: entry {cp.Seq} hash {cp.Hash} at {cp.At} in {checkpoints.Path}");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Export(CliIO io)
    {
        var output = new Option<string>("--out") { Description = "CSV file to write", Required = true };
        var actor = new Option<string?>("--actor");
        var action = new Option<string?>("--action") { Description = "Action prefix, e.g. user. or import." };
        var from = new Option<string?>("--from") { Description = "First day, YYYY-MM-DD" };
        var to = new Option<string?>("--to") { Description = "Last day, YYYY-MM-DD" };
        var command = new Command("export", "Write audit entries to CSV, oldest first (the export is itself audited)") { output, actor, action, from, to };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(io, async () =>
        {
            await using var sp = CommandRunner.Services(CliOptions.ResolveDatabase(parse));
            await CommandRunner.EnsureSchemaAsync(sp, ct);
            var search = Kawal.Identity.Web.IdentityEndpoints.Search(parse.GetValue(actor), parse.GetValue(action), null, null, parse.GetValue(from), parse.GetValue(to), 1, 50);
            await using (var writer = new StreamWriter(parse.GetValue(output)!, false, new UTF8Encoding(true)))
            {
                await sp.GetRequiredService<AuditQueries>().ExportCsvAsync(UserCommands.Operator(), search, writer, ct);
            }

            await io.Out.WriteLineAsync($"wrote {parse.GetValue(output)}");
            return ExitCodes.Ok;
        }));
        return command;
    }
}
