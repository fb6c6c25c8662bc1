using System.Net;
using Kawal.Data;

namespace Kawal.Web.Tests;

public class RulesPageTests
{
    [Fact]
    public async Task The_calculator_shows_amounts_and_why()
    {
        await using var app = await KawalFactory.StartAsync(Engine.Sqlite);

        var html = await app.CreateClient().GetStringAsync(new Uri("/simulasi?hitung=iuran&segment=PU&period=2026-03&wage=12.000.000&riskClass=3", UriKind.Relative));

        Assert.Contains("data-testid=\"total\">Rp1.159.389", html, StringComparison.Ordinal);
        Assert.Contains("Rp808.526", html, StringComparison.Ordinal);
        Assert.Contains("Mengapa jumlah ini?", html, StringComparison.Ordinal);
        Assert.Contains("Pasal 16 dan Lampiran I PP 44/2015", html, StringComparison.Ordinal); // the citation in Indonesian
        Assert.Contains("Jatuh tempo: 15 April 2026", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_calculator_computes_benefits_and_explains_bad_input()
    {
        await using var app = await KawalFactory.StartAsync(Engine.Sqlite);
        var client = app.CreateClient();

        var jkp = await client.GetStringAsync(new Uri("/simulasi?hitung=manfaat&kind=jkp&bwage=8000000&date=2025-06-01", UriKind.Relative));
        var bad = await client.GetStringAsync(new Uri("/simulasi?hitung=iuran&segment=BPU&period=2026-03&declaredIncome=500.000", UriKind.Relative));

        Assert.Contains("data-testid=\"total\">Rp18.000.000", jkp, StringComparison.Ordinal);
        Assert.Contains("Tidak dapat dihitung: Penghasilan yang dilaporkan Rp500.000 di bawah penghasilan minimum BPU Rp1.000.000.", bad, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_rules_catalogue_shows_history_and_the_value_in_force()
    {
        await using var app = await KawalFactory.StartAsync(Engine.Sqlite);

        using var response = await app.CreateClient().GetAsync(new Uri("/aturan?q=wage_cap&tanggal=2021-05-01", UriKind.Relative));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("id=\"pu.jp.wage_cap\"", html, StringComparison.Ordinal);
        Assert.Contains("Rp11.086.300", html, StringComparison.Ordinal);
        Assert.Contains("Rp8.754.600 ✓", html, StringComparison.Ordinal);
        Assert.Contains("1 Maret 2021", html, StringComparison.Ordinal);
        Assert.Contains("B/1226/022026", html, StringComparison.Ordinal);
    }
}
