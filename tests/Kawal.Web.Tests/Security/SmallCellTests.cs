using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Kawal.Claims.Features;
using Kawal.Data;
using Kawal.Cli;
using Kawal.Identity;
using Kawal.Monev.Features;
using Kawal.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Kawal.Web.Tests.Security;

/// <summary>
/// Issue #23 item 2: the standard demo's public outputs, searched as an attacker would for a small count (1–9) they
/// withhold but give away. Every area's indicators of the month are read as the public reads them (and exactly, as
/// the national monitoring team may), the sums an outsider knows (segments, categories, sex, age bands, payers,
/// programmes, the region hierarchy) are solved over what is withheld, and no small count may come out. The other
/// outputs of the same figures (tables, trend, scorecard, claims and recovery statistics, the public endpoint) must
/// show nothing the indicators withhold.
/// </summary>
public class SmallCellTests
{
    [Fact]
    public async Task No_small_count_of_the_demo_is_derivable_from_what_the_public_can_read()
    {
        await using var app = await KawalFactory.StartAsync(Engine.Sqlite);
        using (var scope = app.Services.CreateScope())
        {
            await ServeCommand.PrepareDemoAsync(scope.ServiceProvider, TextWriter.Null, CancellationToken.None);
        }

        var exact = await Seed.ClientAsync(app, Role.NationalMonitor);
        // Every indicator as a caller without exact figures reads it (a key of statistics only); the public role reads a subset.
        var open = await Seed.ClientAsync(app, Role.NationalMonitor, scopes: ["stats.read"]);
        var anonymous = app.CreateClient();
        var provinces = (await exact.GetFromJsonAsync<JsonElement>("/api/v1/monev/scorecard?level=province")).GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("code").GetString()!).ToList();
        var regencies = (await exact.GetFromJsonAsync<JsonElement>("/api/v1/monev/scorecard?level=regency")).GetProperty("rows").EnumerateArray()
            .Select(r => (Code: r.GetProperty("code").GetString()!, Province: r.GetProperty("provinceCode").GetString()!)).ToList();
        var period = (await exact.GetFromJsonAsync<JsonElement>("/api/v1/monev/indicators")).GetProperty("period").GetString()!;

        var truth = new Dictionary<string, Dictionary<string, decimal?>>(StringComparer.Ordinal);
        var shown = new Dictionary<string, Dictionary<string, decimal?>>(StringComparer.Ordinal);
        var withheld = new HashSet<string>(StringComparer.Ordinal);
        foreach (var area in regencies.Select(r => r.Code).Concat(provinces).Prepend(""))
        {
            truth[area] = Values(await exact.GetFromJsonAsync<JsonElement>($"/api/v1/monev/indicators?region={area}&period={period}"), out _);
            shown[area] = Values(await open.GetFromJsonAsync<JsonElement>($"/api/v1/monev/indicators?region={area}&period={period}"), out var hidden);
            withheld.UnionWith(hidden.Select(k => $"{area}|{k}"));
            foreach (var k in hidden)
            {
                Assert.Null(shown[area][k]);
            }

            foreach (var (k, v) in shown[area].Where(x => x.Value is not null))
            {
                Assert.Equal(truth[area][k], v);
            }
        }

        Assert.NotEmpty(withheld);

        // The sums an outsider knows, over counts of people, claims and SKKs.
        var segments = IndicatorQueries.Segments.Select(s => $"participants.{s}").ToArray();
        var categories = IndicatorQueries.Categories.Select(c => $"participants.category.{c}").ToArray();
        var ages = SummaryRefresher.AgeBands.Select(b => $"participants.age.{b}").ToArray();
        var payers = IndicatorQueries.PayerKinds.Select(k => $"vulnerable.payer.{k}").ToArray();
        var programmes = ClaimStatistics.Programmes.Select(p => $"claims.{p}.count").ToArray();
        string[] counts = ["participants.total", .. segments, .. categories, "participants.new", "participants.sex.M", "participants.sex.F", .. ages, .. payers, "apbd.workers_paid",
            "claims.count", .. programmes, "compliance.skk_count", "non_asn.registered", "vulnerable.covered"];
        var sums = new List<(string Total, string[] Parts)>();
        foreach (var area in truth.Keys)
        {
            string Id(string k) => $"{area}|{k}";
            sums.Add((Id("participants.total"), segments.Select(Id).ToArray()));
            sums.Add((Id("participants.total"), categories.Select(Id).ToArray()));
            sums.Add((Id("participants.total"), [Id("participants.sex.M"), Id("participants.sex.F")]));
            sums.Add((Id("participants.total"), ages.Select(Id).ToArray()));
            sums.Add((Id("vulnerable.covered"), payers.Select(Id).ToArray()));
            sums.Add((Id("claims.count"), programmes.Select(Id).ToArray()));
            sums.Add((Id("non_asn.registered"), [Id("participants.category.non_asn")]));
            sums.Add((Id("vulnerable.covered"), [Id("participants.category.vulnerable")]));
        }

        foreach (var k in counts)
        {
            sums.Add(($"|{k}", provinces.Select(p => $"{p}|{k}").ToArray()));
            sums.AddRange(provinces.Select(p => ($"{p}|{k}", regencies.Where(r => r.Province == p).Select(r => $"{r.Code}|{k}").ToArray())));
        }

        // Unknowns: what is withheld, and what the parts leave out of a total (a residual: unknown to the outsider, but derivable if the rest is shown).
        var cells = new List<(string Id, long Value)>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        int Cell(string id, long value)
        {
            if (!index.TryGetValue(id, out var i))
            {
                index[id] = i = cells.Count;
                cells.Add((id, value));
            }

            return i;
        }

        long Truth(string id) => (long)(truth[id[..id.IndexOf('|', StringComparison.Ordinal)]][id[(id.IndexOf('|', StringComparison.Ordinal) + 1)..]] ?? 0);
        var system = new List<int[]>();
        foreach (var (total, parts) in sums)
        {
            var members = new List<int> { Cell(total, Truth(total)) };
            members.AddRange(parts.Select(p => Cell(p, Truth(p))));
            var rest = Truth(total) - parts.Sum(Truth);
            if (rest != 0)
            {
                members.Add(Cell($"{total}~{system.Count}", rest));
            }

            system.Add([.. members]);
        }

        bool Shown(string id) => shown[id[..id.IndexOf('|', StringComparison.Ordinal)]].GetValueOrDefault(id[(id.IndexOf('|', StringComparison.Ordinal) + 1)..]) is not null;
        var unknown = cells.Select(c => withheld.Contains(c.Id) || c.Id.Contains('~', StringComparison.Ordinal) || !Shown(c.Id)).ToList();
        var determined = DisclosureAudit.Determined(system, unknown).Select(i => cells[i]).Where(c => c.Value is > 0 and < 10).ToList();
        Assert.True(determined.Count == 0, $"derivable small counts: {string.Join(", ", determined.Take(20))}");

        // No output of the same figures shows what the indicators withhold.
        foreach (var province in provinces.Take(6))
        {
            var csv = await open.GetStringAsync($"/api/v1/monev/tables/children.csv?region={province}&period={period}");
            var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
            var header = lines[0].Split(',');
            foreach (var line in lines.Skip(1))
            {
                var f = line.Split(',');
                for (var c = 4; c < header.Length; c++)
                {
                    var key = $"{f[0]}|{header[c]}";
                    Assert.Equal(withheld.Contains(key) ? "x" : truth[f[0]][header[c]]?.ToString(CultureInfo.InvariantCulture) ?? "", f[c]);
                }
            }
        }

        foreach (var code in regencies.Select(r => r.Code).Where(c => withheld.Contains($"{c}|participants.category.vulnerable")).Take(3))
        {
            var trend = await open.GetStringAsync($"/api/v1/monev/tables/trend.csv?region={code}&indicator=participants.category.vulnerable&to={period}&months=1");
            Assert.EndsWith($"{period},x", trend.TrimEnd(), StringComparison.Ordinal);
        }

        var board = await anonymous.GetFromJsonAsync<JsonElement>($"/api/v1/public/monev/scorecard?level=regency&period={period}");
        foreach (var row in board.GetProperty("rows").EnumerateArray())
        {
            var components = row.GetProperty("components").EnumerateObject().ToList();
            if (components.Any(c => c.Value.ValueKind == JsonValueKind.Null))
            {
                Assert.Equal(JsonValueKind.Null, row.GetProperty("score").ValueKind);
            }

            if (withheld.Contains($"{row.GetProperty("code").GetString()}|participants.category.non_asn"))
            {
                Assert.Equal(JsonValueKind.Null, row.GetProperty("components").GetProperty("nonAsn").ValueKind);
            }
        }

        foreach (var area in truth.Keys.Where(a => a.Length > 0).Take(40))
        {
            var claims = await open.GetFromJsonAsync<JsonElement>($"/api/v1/claims/stats?region={area}&from={period}&to={period}");
            Assert.True(claims.GetProperty("controlled").GetBoolean());
            Assert.Equal(shown[area]["claims.count"], claims.GetProperty("cases").ValueKind == JsonValueKind.Null ? null : claims.GetProperty("cases").GetDecimal());
            var recovery = await open.GetFromJsonAsync<JsonElement>($"/api/v1/compliance/recovery?region={area}&from={period}&to={period}");
            Assert.Equal(shown[area]["compliance.skk_count"], recovery.GetProperty("skkCount").ValueKind == JsonValueKind.Null ? null : recovery.GetProperty("skkCount").GetDecimal());
            Assert.Empty(recovery.GetProperty("offices").EnumerateArray());
            var pub = await anonymous.GetFromJsonAsync<JsonElement>($"/api/v1/public/monev/indicators?region={area}&period={period}");
            foreach (var p in pub.GetProperty("values").EnumerateObject())
            {
                Assert.Equal(shown[area][p.Name], p.Value.ValueKind == JsonValueKind.Null ? null : p.Value.GetDecimal());
            }
        }
    }

    private static Dictionary<string, decimal?> Values(JsonElement set, out List<string> withheld)
    {
        withheld = set.GetProperty("withheld").EnumerateArray().Select(w => w.GetString()!).ToList();
        return set.GetProperty("values").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.Null ? null : (decimal?)p.Value.GetDecimal(), StringComparer.Ordinal);
    }
}
