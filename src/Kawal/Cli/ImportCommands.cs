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
        import.Subcommands.Add(List(io));
        import.Subcommands.Add(Show(io));
        return import;
    }

    private static Command List(CliIO io)
    {
        var json = CliOptions.Json();
        var command = new Command("list", "Recent imports: who imported which file, when, and the counts") { json };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(io, async () =>
        {
            await using var sp = CommandRunner.Services(CliOptions.ResolveDatabase(parse));
            await CommandRunner.EnsureSchemaAsync(sp, ct);
            var imports = await sp.GetRequiredService<ListImportsHandler>().ListAsync(UserCommands.Operator(), 50, ct);
            if (parse.GetValue(json))
            {
                await CommandRunner.WriteJsonAsync(io, imports);
                return ExitCodes.Ok;
            }

            foreach (var i in imports)
            {
                await io.Out.WriteLineAsync($"{i.Id,5} {i.StartedAt:yyyy-MM-dd HH:mm} {i.Kind,-12} {i.Status,-11} rows {i.Rows} rejected {i.Rejected} created {i.Created} updated {i.Updated}{(i.DryRun ? " (dry run)" : "")}  {i.FileName} by {i.ImportedBy}");
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Show(CliIO io)
    {
        var id = new Argument<long>("id") { Description = "Import number (kawal import list)" };
        var json = CliOptions.Json();
        var command = new Command("show", "One import with its rejected rows") { id, json };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(io, async () =>
        {
            await using var sp = CommandRunner.Services(CliOptions.ResolveDatabase(parse));
            await CommandRunner.EnsureSchemaAsync(sp, ct);
            var found = await sp.GetRequiredService<ListImportsHandler>().GetAsync(parse.GetValue(id), UserCommands.Operator(), ct)
                ?? throw new KawalException($"no import has the number {parse.GetValue(id)}");
            if (parse.GetValue(json))
            {
                await CommandRunner.WriteJsonAsync(io, new { import = found.Import, errors = found.Errors });
                return ExitCodes.Ok;
            }

            var i = found.Import;
            await io.Out.WriteLineAsync($"import {i.Id}: {i.Kind} from {i.FileName} (sha256 {i.Checksum[..12]}…) by {i.ImportedBy} at {i.StartedAt:yyyy-MM-dd HH:mm:ss}Z, {i.Status}");
            await io.Out.WriteLineAsync($"  rows {i.Rows}, accepted {i.Accepted}, rejected {i.Rejected}; created {i.Created}, updated {i.Updated}, unchanged {i.Unchanged}");
            foreach (var e in found.Errors)
            {
                await io.Out.WriteLineAsync($"  row {e.Row} {e.Column}: {e.Code} — {e.MessageEn} / {e.MessageId}");
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Kind(CliIO io, string kind) =>
        FileImport(io, kind, $"Import {kind}; rejected rows are explained in an error report", "CSV or XLSX file", (sp, request, ct) => kind == "employers"
            ? sp.GetRequiredService<ImportEmployersHandler>().HandleAsync(request, ct)
            : sp.GetRequiredService<ImportParticipantsHandler>().HandleAsync(request, ct));

    /// <summary>A file-import verb: the file, --dry-run, --all-or-nothing, --report-dir, --json; prints the summary.</summary>
    internal static Command FileImport(CliIO io, string name, string description, string fileDescription, Func<IServiceProvider, ImportRequest, CancellationToken, Task<ImportSummary>> run)
    {
        var file = new Argument<string>("file") { Description = fileDescription };
        var dryRun = new Option<bool>("--dry-run") { Description = "Validate and count, save nothing" };
        var atomic = new Option<bool>("--all-or-nothing") { Description = "Save nothing unless every row is valid" };
        var report = new Option<string?>("--report-dir") { Description = "Folder for the error report (default: imports/ in the data folder)" };
        var json = CliOptions.Json();
        var wait = CliOptions.Wait();
        var command = new Command(name, description) { file, dryRun, atomic, report, json, wait };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(io, async () =>
        {
            var spec = CliOptions.ResolveDatabase(parse);
            await using var sp = CommandRunner.Services(spec);
            await CommandRunner.EnsureSchemaAsync(sp, ct);
            var folder = parse.GetValue(report) ?? Path.Combine(Settings.DataFolder(spec), "imports");
            var request = new ImportRequest(Path.GetFullPath(parse.GetValue(file)!), UserCommands.Operator(), folder, parse.GetValue(dryRun), parse.GetValue(atomic),
                Wait: parse.GetValue(wait), Waiting: CliOptions.Waiting(io));
            ImportSummary summary;
            try
            {
                summary = await run(sp, request, ct);
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
