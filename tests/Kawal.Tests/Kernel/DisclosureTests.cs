namespace Kawal.Tests.Kernel;

/// <summary>
/// The disclosure-control engine: primary suppression of small cells, complements so that no withheld cell is
/// derivable, and its exact audit checked against an independent rank computation on random tables.
/// </summary>
public class DisclosureTests
{
    private static DisclosureTable Segments(long pu, long bpu, long jakon, long pmi, DisclosureRule? rule = null)
    {
        var t = new DisclosureTable(rule ?? DisclosureRule.Default);
        t.Add("total", pu + bpu + jakon + pmi, pu + bpu + jakon + pmi);
        t.Add("PU", pu, pu);
        t.Add("BPU", bpu, bpu);
        t.Add("JAKON", jakon, jakon);
        t.Add("PMI", pmi, pmi);
        t.Sum("total", ["PU", "BPU", "JAKON", "PMI"]);
        return t;
    }

    [Fact]
    public void Counts_from_one_to_nine_are_withheld_zero_and_ten_are_not()
    {
        var r = Segments(10, 0, 0, 0).Protect();
        Assert.Empty(r.Withheld);
        var small = new DisclosureTable(DisclosureRule.Default);
        small.Add("a", 9, 9);
        small.Add("b", 1, 1);
        small.Add("c", 0, 0);
        small.Add("d", 10, 10);
        Assert.Equal(["a", "b"], small.Protect().Withheld.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_testers_subtraction_is_closed_total_11_PU_10_others_0()
    {
        // total 11, PU 10, JAKON 0, PMI 0 and BPU withheld gave BPU = 1 by subtraction: PU is withheld with it.
        var r = Segments(10, 1, 0, 0).Protect();
        Assert.True(r.IsWithheld("BPU"));
        Assert.True(r.IsWithheld("PU"));
        Assert.False(r.IsWithheld("total"));
        Assert.Equal(1, r.Primary);
    }

    [Fact]
    public void Hidden_parts_of_a_known_total_together_reach_the_threshold()
    {
        // BPU 3 and JAKON 4 are both small; alone they hide each other, but total − PU − PMI = 7 tells both are tiny: PMI (12) joins them.
        var r = Segments(40, 3, 4, 12).Protect();
        Assert.True(r.IsWithheld("BPU") && r.IsWithheld("JAKON"));
        Assert.True(r.IsWithheld("PMI"));
        Assert.False(r.IsWithheld("PU"));
    }

    [Fact]
    public void A_total_is_withheld_when_no_part_can_protect_its_small_part()
    {
        var r = Segments(0, 4, 0, 0).Protect();
        Assert.True(r.IsWithheld("BPU"));
        Assert.True(r.IsWithheld("total"));
    }

    [Fact]
    public void The_threshold_is_configurable()
    {
        Assert.Empty(Segments(30, 6, 0, 0, new DisclosureRule(5)).Protect().Withheld);
        Assert.NotEmpty(Segments(30, 6, 0, 0, new DisclosureRule(7)).Protect().Withheld);
    }

    [Fact]
    public void A_residual_the_parts_leave_out_is_protected_like_a_cell()
    {
        // Men 20 and women 30 of a total of 53: the 3 of unknown sex are not published but would be derivable.
        var t = new DisclosureTable(DisclosureRule.Default);
        t.Add("total", 53, 53);
        t.Add("M", 20, 20);
        t.Add("F", 30, 30);
        t.Sum("total", ["M", "F"]);
        var r = t.Protect();
        Assert.True(r.IsWithheld("M") || r.IsWithheld("F") || r.IsWithheld("total"));
    }

    /// <summary>
    /// Random two-level tables (a nation of regions of districts) crossed with a breakdown: after protection, no small
    /// published cell is determined by the published ones — checked by an independent dense rank test (a hidden cell is
    /// determined exactly when dropping its column lowers the rank of the hidden cells' system).
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void No_small_cell_is_derivable_in_random_tables(int seed)
    {
        var random = new Random(seed);
        var t = new DisclosureTable(DisclosureRule.Default);
        var values = new Dictionary<string, long>(StringComparer.Ordinal);
        var sums = new List<(string Total, string[] Parts)>();
        string[] kinds = ["a", "b", "c"];
        var regions = Enumerable.Range(0, 2 + random.Next(3)).Select(r => $"r{r}").ToList();
        var districts = regions.ToDictionary(r => r, r => Enumerable.Range(0, 2 + random.Next(3)).Select(d => $"{r}d{d}").ToList());
        foreach (var d in districts.Values.SelectMany(x => x))
        {
            foreach (var k in kinds)
            {
                values[$"{d}|{k}"] = random.Next(4) == 0 ? 0 : random.Next(1, 30);
            }

            values[$"{d}|all"] = kinds.Sum(k => values[$"{d}|{k}"]);
        }

        foreach (var k in kinds.Append("all"))
        {
            foreach (var r in regions)
            {
                values[$"{r}|{k}"] = districts[r].Sum(d => values[$"{d}|{k}"]);
            }

            values[$"n|{k}"] = regions.Sum(r => values[$"{r}|{k}"]);
        }

        foreach (var (id, v) in values)
        {
            t.Add(id, v, v);
        }

        foreach (var area in districts.Values.SelectMany(x => x).Concat(regions).Append("n"))
        {
            sums.Add(($"{area}|all", kinds.Select(k => $"{area}|{k}").ToArray()));
        }

        foreach (var k in kinds.Append("all"))
        {
            sums.Add(($"n|{k}", regions.Select(r => $"{r}|{k}").ToArray()));
            sums.AddRange(regions.Select(r => ($"{r}|{k}", districts[r].Select(d => $"{d}|{k}").ToArray())));
        }

        foreach (var (total, parts) in sums)
        {
            t.Sum(total, parts);
        }

        var withheld = t.Protect().Withheld;
        var hidden = values.Keys.Where(withheld.Contains).ToList();
        foreach (var cell in hidden.Where(c => values[c] is > 0 and < 10))
        {
            Assert.False(Determined(sums, hidden, cell), $"seed {seed}: {cell} = {values[cell]} is derivable from the published cells");
        }
    }

    private static bool Determined(List<(string Total, string[] Parts)> sums, List<string> hidden, string cell)
    {
        var columns = hidden.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i, StringComparer.Ordinal);
        var matrix = sums.Select(s =>
        {
            var row = new double[hidden.Count];
            if (columns.TryGetValue(s.Total, out var t))
            {
                row[t] += 1;
            }

            foreach (var p in s.Parts)
            {
                if (columns.TryGetValue(p, out var j))
                {
                    row[j] -= 1;
                }
            }

            return row;
        }).ToList();
        var without = matrix.Select(r => r.Where((_, j) => j != columns[cell]).ToArray()).ToList();
        return Rank(matrix) > Rank(without);
    }

    private static int Rank(List<double[]> rows)
    {
        var m = rows.Select(r => (double[])r.Clone()).ToList();
        var rank = 0;
        var width = m.Count == 0 ? 0 : m[0].Length;
        for (var col = 0; col < width && rank < m.Count; col++)
        {
            var pivot = Enumerable.Range(rank, m.Count - rank).FirstOrDefault(r => Math.Abs(m[r][col]) > 1e-9, -1);
            if (pivot < 0)
            {
                continue;
            }

            (m[rank], m[pivot]) = (m[pivot], m[rank]);
            for (var r = 0; r < m.Count; r++)
            {
                if (r != rank && Math.Abs(m[r][col]) > 1e-9)
                {
                    var f = m[r][col] / m[rank][col];
                    for (var c = col; c < width; c++)
                    {
                        m[r][c] -= f * m[rank][c];
                    }
                }
            }

            rank++;
        }

        return rank;
    }
}
