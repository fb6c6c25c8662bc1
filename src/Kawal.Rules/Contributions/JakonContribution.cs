namespace Kawal.Rules.Contributions;

/// <summary>
/// Jakon (construction): with known wages, JKK and JKM rates on the wage; otherwise marginal rates on slices of the
/// contract value (excl. VAT), each slice charged its own rate. Paid wholly by the contractor (<c>employer</c>).
/// </summary>
internal static class JakonContribution
{
    public static ContributionResult Calculate(ContributionInput input, Trace t)
    {
        var payable = t.Use("relax.pp49.jkk_jkm.payable", "Bagian JKK/JKM yang dibayar (PP 49/2020 bila berlaku)", "Share of JKK/JKM payable (PP 49/2020 where in force)");
        var lines = new List<ContributionLine>();
        if (input.Wage > 0)
        {
            t.Amount("Upah pekerja diketahui", "Workers' wages are known", input.Wage);
            foreach (var (p, id) in new[] { (Programmes.JKK, "jakon.wage.jkk.rate"), (Programmes.JKM, "jakon.wage.jkm.rate") })
            {
                if (input.Programmes.HasFlag(p))
                {
                    var rate = t.Use(id, $"Tarif {p} Jakon atas upah", $"Jakon {p} rate on wages");
                    var amount = t.Amount($"{p} = {Trace.Pct(rate)} × {Trace.Rp(input.Wage)} × {Trace.Pct(payable)}", $"{p} = {Trace.Pct(rate)} × {Trace.Rp(input.Wage)} × {Trace.Pct(payable)}",
                        Rupiah.Round(input.Wage * rate / 100m * payable / 100m).Value);
                    lines.Add(new ContributionLine(p.ToString(), input.Wage, amount, 0, 0, amount));
                }
            }

            return ContributionCalculator.Result(input, lines, null, t);
        }

        if (input.ContractValue <= 0)
        {
            throw new UsageException("Jakon needs a contract value (excl. VAT) or the workers' wage", "contractValue") { Indonesian = "Iuran Jakon memerlukan nilai kontrak (tanpa PPN) atau upah pekerjanya." };
        }

        t.Amount("Nilai kontrak (tanpa PPN)", "Contract value (excl. VAT)", input.ContractValue);
        var uppers = new List<long>();
        for (var b = 1; b <= 4; b++)
        {
            uppers.Add((long)t.Use($"jakon.band{b}.upper", $"Batas atas lapisan {b}", $"Upper limit of slice {b}"));
        }

        foreach (var p in new[] { Programmes.JKK, Programmes.JKM })
        {
            if (!input.Programmes.HasFlag(p))
            {
                continue;
            }

            var code = p.ToString().ToLowerInvariant();
            decimal sum = 0;
            long lower = 0;
            for (var b = 1; b <= 5 && lower < input.ContractValue; b++)
            {
                var upper = b <= 4 ? uppers[b - 1] : long.MaxValue;
                var slice = Math.Min(input.ContractValue, upper) - lower;
                var rate = t.Use($"jakon.band{b}.{code}", $"Tarif {p} lapisan {b}", $"{p} rate, slice {b}");
                var part = slice * rate / 100m;
                t.Amount($"{p} lapisan {b}: {Trace.Pct(rate)} × {Trace.Rp(slice)}", $"{p} slice {b}: {Trace.Pct(rate)} × {Trace.Rp(slice)}", Rupiah.Round(part).Value);
                sum += part;
                lower = upper;
            }

            var total = t.Amount($"{p} = jumlah lapisan × {Trace.Pct(payable)}", $"{p} = sum of slices × {Trace.Pct(payable)}", Rupiah.Round(sum * payable / 100m).Value);
            lines.Add(new ContributionLine(p.ToString(), input.ContractValue, total, 0, 0, total));
        }

        return ContributionCalculator.Result(input, lines, null, t);
    }
}
