using Kawal.Cli;
using Kawal.Data;
using Kawal.Testing;

namespace Kawal.Tests.Compliance;

public class ComplianceCliTests
{
    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var (o, e) = (new StringWriter(), new StringWriter());
        var code = await KawalCli.RunAsync(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    [EngineTheory]
    public async Task Detection_cases_letters_and_imports_from_the_command_line(Engine engine)
    {
        await using var t = await ComplianceTests.WorldAsync(engine);
        var detect = await Run("compliance", "detect", "--as-of", "2026-10-01", "--database", t.ConnectionText);
        Assert.True(detect.Code == 0, detect.Err);
        Assert.Contains("cases created 5", detect.Out, StringComparison.Ordinal);
        var cases = await Run("compliance", "cases", "--kind", "arrears", "--json", "--database", t.ConnectionText);
        using var json = System.Text.Json.JsonDocument.Parse(cases.Out);
        var id = json.RootElement.GetProperty("items")[0].GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var warn = await Run("compliance", "warn", id, "--letter", "1", "--date", "2026-10-01", "--database", t.ConnectionText);
        Assert.True(warn.Code == 0, warn.Err);
        Assert.Contains("next step due 2026-10-15 — OVERDUE", warn.Out, StringComparison.Ordinal);
        var early = await Run("compliance", "warn", id, "--letter", "2", "--date", "2026-10-14", "--database", t.ConnectionText);
        Assert.Equal(ExitCodes.Failure, early.Code);
        Assert.Contains("after 2026-10-15", early.Err, StringComparison.Ordinal);
        var pdf = Path.Combine(Path.GetTempPath(), $"kawal-teguran-{Guid.NewGuid():N}.pdf");
        Assert.Equal(0, (await Run("compliance", "letter", id, "--kind", "warning1", "--out", pdf, "--database", t.ConnectionText)).Code);
        Assert.Contains("SURAT TEGURAN I", System.Text.Encoding.Latin1.GetString(await File.ReadAllBytesAsync(pdf)), StringComparison.Ordinal);
        File.Delete(pdf);
        var overdue = await Run("compliance", "cases", "--overdue", "--database", t.ConnectionText);
        Assert.Contains("OVERDUE", overdue.Out, StringComparison.Ordinal);
        var wages = Path.Combine(Path.GetTempPath(), $"kawal-ump-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(wages, "province_code;year;ump;source\n63;2027;3900000;Kawal test\n");
        var import = await Run("compliance", "import", "minimum-wages", wages, "--database", t.ConnectionText);
        File.Delete(wages);
        Assert.True(import.Code == 0, import.Err + import.Out);
        Assert.Contains("created 1", import.Out, StringComparison.Ordinal);
    }
}
