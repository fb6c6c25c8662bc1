using Kawal.Cli;
using Kawal.Data;
using Kawal.Testing;

namespace Kawal.Tests.Monev;

public class MonevCliTests
{
    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        var code = await KawalCli.RunAsync(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    [EngineTheory]
    public async Task Refresh_then_report_writes_a_pdf_and_bad_arguments_exit_2(Engine engine)
    {
        await using var f = await MonevFixture.CreateAsync(engine, refresh: false);
        var (code, output, error) = await Run("monev", "refresh", "--from", "2026-10", "--to", "2026-10", "--database", f.T.ConnectionText);
        Assert.True(code == 0, error);
        Assert.Contains("monev summaries 2026-10..2026-10: 1 month(s)", output, StringComparison.Ordinal);
        var file = Path.Combine(Path.GetTempPath(), $"monev-{Guid.NewGuid():N}.pdf");
        (code, _, error) = await Run("report", "monev", "--region", "63.71", "--period", "2026-10", "--format", "pdf", "--out", file, "--database", f.T.ConnectionText);
        Assert.True(code == 0, error);
        var text = ReportTests.PdfText(await File.ReadAllBytesAsync(file));
        Assert.Contains("Kota Banjarmasin", text, StringComparison.Ordinal);
        File.Delete(file);
        (code, _, error) = await Run("report", "monev", "--period", "2026-10", "--out", file, "--database", f.T.ConnectionText);
        Assert.Equal(2, code);
        Assert.Contains("--region", error, StringComparison.Ordinal);
        (code, _, _) = await Run("monev", "refresh", "--to", "2099-01", "--database", f.T.ConnectionText);
        Assert.Equal(2, code);
        Assert.False(File.Exists(file));
    }

    [EngineTheory]
    public async Task Monev_import_reads_a_file_and_names_the_error_report(Engine engine)
    {
        await using var f = await MonevFixture.CreateAsync(engine, refresh: false);
        var reports = Path.Combine(Path.GetTempPath(), $"kawal-cli-reports-{Guid.NewGuid():N}");
        var file = Path.Combine(AppContext.BaseDirectory, "Monev", "Files", "denominators.csv");
        var (code, output, error) = await Run("monev", "import", "denominators", file, "--report-dir", reports, "--database", f.T.ConnectionText);
        Assert.True(code == 0, error);
        Assert.Contains("rows 10, accepted 3, rejected 7; created 3, updated 0, unchanged 0", output, StringComparison.Ordinal);
        Assert.Contains("error report: " + reports, output, StringComparison.Ordinal);
        (code, output, error) = await Run("monev", "import", "commitments", Path.Combine(AppContext.BaseDirectory, "Monev", "Files", "commitments.csv"), "--dry-run", "--report-dir", reports,
            "--database", f.T.ConnectionText);
        Assert.True(code == 0, error);
        Assert.Contains("dry run: nothing saved", output, StringComparison.Ordinal);
        (code, _, error) = await Run("monev", "import", "denominators", "/no/such/file.csv", "--database", f.T.ConnectionText);
        Assert.NotEqual(0, code);
        Assert.Contains("file.csv", error, StringComparison.Ordinal);
        Directory.Delete(reports, true);
    }
}
