using System.CommandLine;
using Kawal.Registry.Features;
using Kawal.Registry.Import;
using Microsoft.Extensions.DependencyInjection;

namespace Kawal.Cli;

/// <summary>
/// <c>kawal import employers|participants FILE</c> and <c>kawal import template KIND --out FILE</c>. Exit 0 when the
/// import ran, whatever it rejected; 1 when the file cannot be read at all.
/// </summary>
internal static class ImportCommands
{
    public static Command Build(CliIO io)
    {
        var import = new Command("import", "Import employers or participants from CSV (UTF-8, comma or semicolon) or XLSX");
        import.Subcommands.Add(Kind(io, "employers"));
        import.Subcommands.Add(Kind(io, "participants"));
        import.Subcommands.Add(Template(io));
        return import;
    }

    private static Command Kind(CliIO io, string kind)
    {
        var file = new Argument<string>("file") { Description = "CSV or XLSX file" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Validate and count, save nothing" };
        var atomic = new Option<bool>("--all-or-nothing") { Description = "Save nothing unless every row is valid" };
        var report = new Option<string?>("--report-dir") { Description = "Folder for the error report (default: imports/ in the data folder)" };
        var json = CliOptions.Json();
        var command = new Command(kind, $"Import {kind}; rejected rows are explained in an error report") { file, dryRun, atomic, report, json };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(io, async () =>
        {
            var spec = CliOptions.ResolveDatabase(parse);
            await using var sp = CommandRunner.Services(spec);
            await CommandRunner.EnsureSchemaAsync(sp, ct);
            var folder = parse.GetValue(report) ?? Path.Combine(spec.SqlitePath is { } f ? Path.GetDirectoryName(f)! : Path.Combine(Directory.GetCurrentDirectory(), "kawal-data"), "imports");
            var request = new ImportRequest(Path.GetFullPath(parse.GetValue(file)!), $"cli:{Environment.UserName}", folder, parse.GetValue(dryRun), parse.GetValue(atomic));
            ImportSummary summary;
            try
            {
                summary = kind == "employers"
                    ? await sp.GetRequiredService<ImportEmployersHandler>().HandleAsync(request, ct)
                    : await sp.GetRequiredService<ImportParticipantsHandler>().HandleAsync(request, ct);
            }
            catch (ImportFileException e)
            {
                throw new KawalException($"cannot import {Path.GetFileName(request.FilePath)}: {e.Message}", e);
            }

            if (parse.GetValue(json))
            {
                await CommandRunner.WriteJsonAsync(io, summary);
            }
            else
            {
                await io.Out.WriteLineAsync($"import {summary.ImportId} ({summary.Kind}{(summary.DryRun ? ", dry run: nothing saved" : "")}): {summary.Status}");
                await io.Out.WriteLineAsync($"  rows {summary.Rows}, accepted {summary.Accepted}, rejected {summary.Rejected}; created {summary.Created}, updated {summary.Updated}, unchanged {summary.Unchanged}");
                if (summary.ErrorReport is { } path)
                {
                    await io.Out.WriteLineAsync($"  error report: {path}");
                }
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Template(CliIO io)
    {
        var kind = new Argument<string>("kind") { Description = "participants or employers" };
        kind.AcceptOnlyFromAmong("participants", "employers");
        var output = new Option<string>("--out") { Description = "File to write", Required = true };
        var command = new Command("template", "Write an import template (CSV UTF-8) with the documented columns") { kind, output };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(io, async () =>
        {
            await ImportTemplates.WriteAsync(parse.GetValue(kind)!, parse.GetValue(output)!, ct);
            await io.Out.WriteLineAsync($"wrote {parse.GetValue(output)}");
            return ExitCodes.Ok;
        }));
        return command;
    }
}
