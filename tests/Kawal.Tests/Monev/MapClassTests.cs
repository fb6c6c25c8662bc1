using System.Globalization;
using Kawal.Monev.Pages;

namespace Kawal.Tests.Monev;

/// <summary>The monev map's legend: classes ascending, never overlapping as shown, every value in one, no data apart.</summary>
public class MapClassTests
{
    private static string Whole(decimal v) => v.ToString("0", CultureInfo.InvariantCulture);

    private static decimal Parse(string s) => decimal.Parse(s, CultureInfo.InvariantCulture);

    /// <summary>Checks the legend against the values: ascending, disjoint ranges, and each value inside its own class's range.</summary>
    private static void AssertSound(IReadOnlyDictionary<string, decimal?> values, MapClasses classes)
    {
        var legend = classes.Legend;
        Assert.Equal(MapClass.None, legend[^1].Class);
        Assert.Equal("tidak ada data", legend[^1].Range);
        var ranked = legend.SkipLast(1).ToList();
        Assert.InRange(ranked.Count, 0, MonevLabels.Palette);
        Assert.Equal(ranked.Count, ranked.Select(c => c.Class).Distinct().Count());
        for (var i = 0; i < ranked.Count; i++)
        {
            Assert.True(Parse(ranked[i].From) <= Parse(ranked[i].To), ranked[i].Range);
            if (i > 0)
            {
                Assert.True(Parse(ranked[i - 1].To) < Parse(ranked[i].From), $"{ranked[i - 1].Range} overlaps {ranked[i].Range}");
            }
        }

        foreach (var (code, value) in values)
        {
            var css = classes.ClassOf(code);
            if (value is not { } v)
            {
                Assert.Equal(MapClass.None, css);
                continue;
            }

            var entry = Assert.Single(ranked, c => c.Class == css);
            Assert.InRange(Parse(Whole(v)), Parse(entry.From), Parse(entry.To));
        }
    }

    [Fact]
    public void Thirty_eight_provinces_fall_into_five_ascending_disjoint_classes_and_a_province_without_data_into_none()
    {
        var values = Enumerable.Range(0, 38).ToDictionary(i => (11 + i).ToString(CultureInfo.InvariantCulture), i => (decimal?)(14 + (i * i * 3)));
        values["96"] = null;
        var classes = MonevLabels.Classes(values, Whole);

        AssertSound(values, classes);
        Assert.Equal(["c0", "c1", "c2", "c3", "c4", "c-none"], classes.Legend.Select(c => c.Class));
        Assert.Equal("14–161", classes.Legend[0].Range);
        Assert.Equal("206–689", classes.Legend[1].Range);
        Assert.Equal(MapClass.None, classes.ClassOf("96"));
        Assert.Equal(MapClass.None, classes.ClassOf("99")); // a region the values do not name
    }

    [Fact]
    public void Values_shown_alike_share_a_class_so_shown_ranges_never_overlap()
    {
        // 47.6 and 48.2 are both shown as 48: ties and rounding must not put one shown value in two classes.
        var values = new Dictionary<string, decimal?>
        {
            ["a"] = 14m, ["b"] = 47.4m, ["c"] = 47.6m, ["d"] = 47.5m, ["e"] = 48.2m, ["f"] = 86m, ["g"] = 86m, ["h"] = 86m, ["i"] = 120m, ["j"] = null,
        };
        var classes = MonevLabels.Classes(values, Whole);

        AssertSound(values, classes);
        Assert.Equal(classes.ClassOf("c"), classes.ClassOf("e")); // both shown as 48
        Assert.Equal(classes.ClassOf("f"), classes.ClassOf("h"));
    }

    [Fact]
    public void One_value_is_one_class_shown_alone_and_no_values_leave_only_no_data()
    {
        var one = new Dictionary<string, decimal?> { ["11"] = 5m, ["12"] = 5m };
        var single = MonevLabels.Classes(one, Whole);
        AssertSound(one, single);
        Assert.Equal(["5", "tidak ada data"], single.Legend.Select(c => c.Range));

        var none = new Dictionary<string, decimal?> { ["11"] = null };
        var empty = MonevLabels.Classes(none, Whole);
        AssertSound(none, empty);
        Assert.Equal([MapClass.None], empty.Legend.Select(c => c.Class));
    }
}
