using System.Text.Json;
using Kawal.Data;
using Kawal.Testing;
using static Kawal.Tests.Cli.CliHarness;

namespace Kawal.Tests.Cli;

public class ImportCliTests
{
    private static string File(string name) => Path.Combine(AppContext.BaseDirectory, "Registry", "Files", name);

    [EngineTheory]
    public async Task Import_runs_with_rejections_and_exits_0_with_the_documented_summary(Engine engine)
    {
        await using var t = await TestDatabase.CreateAsync(engine);
        var reports = Directory.CreateTempSubdirectory("kawal-cli-reports-").FullName;

        var employers = await Run("import", "employers", File("employers.csv"), "--database", t.ConnectionText, "--create-database", "--report-dir", reports, "--json");
        var (exit, output, _) = await Run("import", "participants", File("participants-rejections.csv"), "--database", t.ConnectionText, "--report-dir", reports, "--json");

        Assert.Equal(0, employers.Exit);
        Assert.Equal(0, exit);
        var summary = JsonDocument.Parse(output).RootElement;
        foreach (var field in new[] { "rows", "accepted", "rejected", "created", "updated", "unchanged", "errorReport" })
        {
            Assert.True(summary.TryGetProperty(field, out _), field);
        }

        Assert.Equal(30, summary.GetProperty("rejected").GetInt32());
        Assert.True(System.IO.File.Exists(summary.GetProperty("errorReport").GetString()));

        var id = summary.GetProperty("importId").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var list = await Run("import", "list", "--database", t.ConnectionText, "--json");
        var show = await Run("import", "show", id, "--database", t.ConnectionText, "--json");
        var imports = JsonDocument.Parse(list.Out).RootElement;
        Assert.Equal(2, imports.GetArrayLength());
        Assert.Equal("participants-rejections.csv", imports[0].GetProperty("fileName").GetString());
        var shown = JsonDocument.Parse(show.Out).RootElement;
        Assert.Equal(31, shown.GetProperty("errors").GetArrayLength());
        Assert.Equal("nik.format", shown.GetProperty("errors")[0].GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("empty.csv", "is empty")]
    [InlineData("binary.csv", "is not a CSV or XLSX file")]
    [InlineData("participants-windows1252.csv", "is not UTF-8")]
    [InlineData("missing-columns.csv", "missing required column(s): segment")]
    [InlineData("no-such.csv", "file not found")]
    public async Task An_unreadable_file_exits_1_saying_why(string file, string message)
    {
        var folder = Directory.CreateTempSubdirectory("kawal-cli-import-").FullName;

        var (exit, output, err) = await Run("import", "participants", File(file), "--database", $"sqlite:{folder}/k.db", "--create-database");

        Assert.Equal(1, exit);
        Assert.Equal("", output);
        Assert.StartsWith($"kawal: cannot import {file}: ", err, StringComparison.Ordinal);
        Assert.Contains(message, err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Templates_are_importable_as_they_are()
    {
        var folder = Directory.CreateTempSubdirectory("kawal-cli-template-").FullName;
        var db = $"sqlite:{folder}/k.db";

        await Run("import", "template", "employers", "--out", $"{folder}/e.csv");
        await Run("import", "template", "participants", "--out", $"{folder}/p.csv");
        var e = await Run("import", "employers", $"{folder}/e.csv", "--database", db, "--create-database", "--json");
        var p = await Run("import", "participants", $"{folder}/p.csv", "--database", db, "--json");

        Assert.Equal(1, JsonDocument.Parse(e.Out).RootElement.GetProperty("created").GetInt32());
        Assert.Equal(1, JsonDocument.Parse(p.Out).RootElement.GetProperty("created").GetInt32());
    }
}
