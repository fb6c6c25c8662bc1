namespace Kawal;

/// <summary>
/// The disclosure-control rule for aggregate figures (docs/security.md § Public figures): a figure made of fewer than
/// <see cref="Threshold"/> contributors (people, claims, bills; zero excepted) is not published, and no figure that is not
/// published may be derivable from the ones that are.
/// </summary>
public sealed record DisclosureRule(int Threshold)
{
    public static DisclosureRule Default { get; } = new(10);

    public bool IsSmall(long contributors) => contributors > 0 && contributors < Threshold;

    /// <summary>A figure to protect: a non-zero value of 1 to threshold−1 contributors (a zero tells nothing of anyone's amount).</summary>
    public bool Protects(decimal value, long contributors) => value != 0 && IsSmall(contributors);
}

/// <summary>
/// A set of related aggregate figures (cells) and the sums that tie them (a total and its parts), protected together:
/// <list type="number">
/// <item>primary suppression: every cell with 1 to threshold−1 contributors;</item>
/// <item>complementary suppression: no sum may have exactly one unknown cell, and where its total is known the hidden
/// parts together must have at least threshold contributors (or none);</item>
/// <item>an exact audit: the sums are solved over the hidden cells (Gauss–Jordan, exact integers) and a small cell that
/// the published figures still determine gets another complement, until none is determined.</item>
/// </list>
/// A sum whose parts do not add up to its total gets a residual cell (what the parts leave out), never published and
/// protected like the others. Complements are the smallest non-zero parts (least information lost).
/// </summary>
public sealed class DisclosureTable(DisclosureRule rule)
{
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private readonly List<(string Id, decimal Value, long Contributors, bool Published)> _cells = [];
    private readonly List<int[]> _sums = [];

    public int Count => _cells.Count;

    /// <summary>A published figure with the number of contributors behind it (a count of people: the count itself).</summary>
    public void Add(string id, decimal value, long contributors)
    {
        if (!_index.TryAdd(id, _cells.Count))
        {
            throw new InvalidOperationException($"cell {id} added twice");
        }

        _cells.Add((id, value, Math.Max(0, contributors), true));
    }

    public bool Has(string id) => _index.ContainsKey(id);

    /// <summary>The total is the sum of the parts (cells added before); a difference becomes an unpublished residual cell.</summary>
    public void Sum(string total, IReadOnlyCollection<string> parts)
    {
        var t = _index[total];
        var members = new List<int>(parts.Count + 2) { t };
        members.AddRange(parts.Select(p => _index[p]));
        var residual = _cells[t].Value - members.Skip(1).Sum(i => _cells[i].Value);
        if (residual != 0)
        {
            var contributors = _cells[t].Contributors - members.Skip(1).Sum(i => _cells[i].Contributors);
            var id = $"{total}~rest{_sums.Count}";
            _index[id] = _cells.Count;
            members.Add(_cells.Count);
            _cells.Add((id, residual, Math.Max(0, contributors), false));
        }

        if (members.Count > 1)
        {
            _sums.Add([.. members]);
        }
    }

    /// <summary>Decides which cells are withheld.</summary>
    public DisclosureResult Protect()
    {
        var hidden = new bool[_cells.Count];
        var primary = 0;
        for (var i = 0; i < _cells.Count; i++)
        {
            hidden[i] = !_cells[i].Published || rule.Protects(_cells[i].Value, _cells[i].Contributors);
            primary += _cells[i].Published && hidden[i] ? 1 : 0;
        }

        var bySum = new List<int>[_cells.Count];
        for (var s = 0; s < _sums.Count; s++)
        {
            foreach (var i in _sums[s])
            {
                (bySum[i] ??= []).Add(s);
            }
        }

        var attempts = new Dictionary<int, int>();
        while (true)
        {
            var changed = true;
            while (changed)
            {
                changed = false;
                foreach (var sum in _sums)
                {
                    if (NeedsComplement(sum, hidden) && Complement(sum, hidden, -1, false))
                    {
                        changed = true;
                    }
                }
            }

            var determined = DisclosureAudit.Determined(_sums, hidden).Where(i => rule.Protects(_cells[i].Value, _cells[i].Contributors)).ToList();
            if (determined.Count == 0)
            {
                break;
            }

            var progress = false;
            foreach (var i in determined)
            {
                progress |= ComplementNear(i, hidden, bySum, attempts.TryGetValue(i, out var n) && n > 0);
                attempts[i] = attempts.GetValueOrDefault(i) + 1;
            }

            if (!progress)
            {
                // Nothing left to withhold near them (cannot happen while a published cell remains): fail closed.
                Array.Fill(hidden, true);
                break;
            }
        }

        var withheld = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < _cells.Count; i++)
        {
            if (hidden[i] && _cells[i].Published)
            {
                withheld.Add(_cells[i].Id);
            }
        }

        return new DisclosureResult(withheld, primary);
    }

    /// <summary>Withholds more cells near a determined one (see the body).</summary>
    private bool ComplementNear(int cell, bool[] hidden, List<int>[] bySum, bool again)
    {
        // Every sum of the cell gets another withheld cell (one per sum breaks the chain of sums that determined it
        // fastest; a zero too when the cell is still determined after that); failing that, the sums of the withheld
        // cells it shares a sum with, breadth first, zeros last.
        var any = false;
        foreach (var s in bySum[cell] ?? [])
        {
            any |= Complement(_sums[s], hidden, cell, again);
        }

        if (any)
        {
            return true;
        }

        foreach (var zeros in (bool[])[false, true])
        {
            var seen = new HashSet<int>();
            var queue = new Queue<int>(bySum[cell] ?? []);
            while (queue.TryDequeue(out var s))
            {
                if (!seen.Add(s))
                {
                    continue;
                }

                if (Complement(_sums[s], hidden, cell, zeros))
                {
                    return true;
                }

                foreach (var m in _sums[s].Where(m => hidden[m] && m != cell))
                {
                    foreach (var next in bySum[m] ?? [])
                    {
                        queue.Enqueue(next);
                    }
                }
            }
        }

        return false;
    }

    /// <summary>
    /// The sum gives away a protected cell: it is the sum's only unknown, or the known total tells that the unknown
    /// parts together have fewer contributors than the threshold. (Other combinations are left to the exact audit.)
    /// </summary>
    private bool NeedsComplement(int[] sum, bool[] hidden)
    {
        var unknown = 0;
        var protects = false;
        long contributors = 0;
        foreach (var i in sum)
        {
            if (hidden[i])
            {
                unknown++;
                contributors += _cells[i].Contributors;
                protects |= rule.Protects(_cells[i].Value, _cells[i].Contributors);
            }
        }

        return protects && (unknown == 1 || (!hidden[sum[0]] && rule.IsSmall(contributors)));
    }

    /// <summary>Withholds one more cell of the sum: its smallest non-zero part (with <paramref name="zeros"/>, a zero too), else its total; false when none is left.</summary>
    private bool Complement(int[] sum, bool[] hidden, int besides, bool zeros)
    {
        var best = -1;
        for (var k = 1; k < sum.Length; k++)
        {
            var i = sum[k];
            if (!hidden[i] && i != besides && (zeros || _cells[i].Value != 0) && (best < 0 || Math.Abs(_cells[i].Value) < Math.Abs(_cells[best].Value)))
            {
                best = i;
            }
        }

        if (best < 0 && !hidden[sum[0]] && sum[0] != besides && (zeros || _cells[sum[0]].Value != 0))
        {
            best = sum[0];
        }

        if (best < 0)
        {
            return false;
        }

        hidden[best] = true;
        return true;
    }

    /// <summary>The published cells with their values (for an auditor or a test).</summary>
    public IEnumerable<(string Id, decimal Value, long Contributors)> Cells => _cells.Where(c => c.Published).Select(c => (c.Id, c.Value, c.Contributors));
}

/// <summary>What a protected table withholds.</summary>
public sealed class DisclosureResult(IReadOnlySet<string> withheld, int primary)
{
    public static DisclosureResult None { get; } = new(new HashSet<string>(), 0);

    public IReadOnlySet<string> Withheld { get; } = withheld;

    /// <summary>Cells withheld because they are small themselves; the rest protect them.</summary>
    public int Primary { get; } = primary;

    public bool IsWithheld(string id) => Withheld.Contains(id);
}

/// <summary>
/// Which unknown cells a set of sums determines: each sum, with the known cells moved to the right, is an equation over
/// the unknown ones; an unknown is determined exactly when the reduced row-echelon form of the system has a row that
/// is that unknown alone. Exact integer arithmetic (rows divided by their gcd), columns chosen by fewest rows.
/// </summary>
public static class DisclosureAudit
{
    /// <summary>The unknown cells (indexes with <paramref name="unknown"/> true) that the sums determine.</summary>
    public static IReadOnlyList<int> Determined(IReadOnlyList<int[]> sums, IReadOnlyList<bool> unknown)
    {
        var rows = new List<Dictionary<int, long>?>();
        var byColumn = new Dictionary<int, HashSet<int>>();
        foreach (var sum in sums)
        {
            var row = new Dictionary<int, long>();
            for (var k = 0; k < sum.Length; k++)
            {
                if (unknown[sum[k]])
                {
                    row[sum[k]] = row.GetValueOrDefault(sum[k]) + (k == 0 ? 1 : -1);
                }
            }

            foreach (var zero in row.Where(e => e.Value == 0).Select(e => e.Key).ToList())
            {
                row.Remove(zero);
            }

            if (row.Count == 0)
            {
                continue;
            }

            var r = rows.Count;
            rows.Add(row);
            foreach (var col in row.Keys)
            {
                (byColumn.TryGetValue(col, out var set) ? set : byColumn[col] = []).Add(r);
            }
        }

        for (var r = 0; r < rows.Count; r++)
        {
            if (rows[r] is not { Count: > 0 } pivotRow)
            {
                continue;
            }

            var pivot = pivotRow.Keys.MinBy(col => byColumn[col].Count);
            var a = pivotRow[pivot];
            foreach (var other in byColumn[pivot].Where(o => o != r).ToList())
            {
                var row = rows[other]!;
                var b = row[pivot];
                var merged = new Dictionary<int, long>(row.Count + pivotRow.Count);
                foreach (var (col, v) in row)
                {
                    merged[col] = checked(v * a);
                }

                foreach (var (col, v) in pivotRow)
                {
                    merged[col] = checked(merged.GetValueOrDefault(col) - (v * b));
                }

                long g = 0;
                foreach (var (col, v) in merged)
                {
                    if (v == 0)
                    {
                        byColumn[col].Remove(other);
                    }
                    else
                    {
                        g = Gcd(g, Math.Abs(v));
                        byColumn[col].Add(other);
                    }
                }

                var reduced = merged.Where(e => e.Value != 0).ToDictionary(e => e.Key, e => e.Value / g);
                rows[other] = reduced.Count == 0 ? null : reduced;
            }
        }

        return rows.Where(r => r is { Count: 1 }).Select(r => r!.Keys.First()).Distinct().ToList();
    }

    private static long Gcd(long a, long b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a == 0 ? 1 : a;
    }
}

/// <summary>
/// A month's aggregate figures of an area as published to callers without exact figures (the monitoring module's
/// indicators, protected together across every area): modules that show the same figures over other ranges (claims,
/// recovery statistics) read them from here so that nothing one output withholds another gives away.
/// </summary>
public interface IPublishedFigures
{
    /// <summary>The month's controlled figures of the area (null: the nation), by indicator key; null where withheld or unknown.</summary>
    Task<IReadOnlyDictionary<string, decimal?>> MonthAsync(string? area, Period period, CancellationToken ct = default);

    /// <summary>The longest range of months <see cref="SumAsync"/> adds up (each month is read from its published figures).</summary>
    const int LongestRange = 36;

    /// <summary>
    /// The figures of a range of months as the months publish them: each key summed, null (withheld) when any month's
    /// figure is. At most <see cref="LongestRange"/> months.
    /// </summary>
    async Task<Dictionary<string, long?>> SumAsync(string? area, Period from, Period to, IReadOnlyList<string> keys, CancellationToken ct = default)
    {
        if (to.AddMonths(1 - LongestRange) > from)
        {
            throw new UsageException($"ask for at most {LongestRange} months at a time", "from") { Indonesian = $"Pilih rentang paling lama {LongestRange} bulan." };
        }

        var sums = keys.ToDictionary(k => k, _ => (long?)0, StringComparer.Ordinal);
        for (var p = from; p <= to; p = p.Next)
        {
            var month = await MonthAsync(area, p, ct);
            foreach (var k in keys)
            {
                sums[k] = sums[k] is { } sum && month[k] is { } v ? sum + (long)v : null;
            }
        }

        return sums;
    }
}
