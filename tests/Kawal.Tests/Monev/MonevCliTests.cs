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
}
