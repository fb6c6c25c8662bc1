namespace Kawal.Rules.Contributions;

/// <summary>
/// One month's contribution for PU, BPU, Jakon and PMI, with the trace of every parameter used. The PU amounts come
/// from <see cref="PuKernel"/>, the same code the billing run uses.
/// </summary>
public static class ContributionCalculator
{
    public static ContributionResult Calculate(ContributionInput input, ParameterCatalogue? catalogue = null)
    {
        var c = catalogue ?? ParameterCatalogue.Default;
        var trace = new Trace(c, input.Period.FirstDay);
        var extra = input.Programmes & ~ProgrammeSets.Allowed(input.Segment);
        if (extra != Programmes.None)
        {
            throw new UsageException($"programmes: {input.Segment} cannot have {ProgrammeSets.Format(extra)}", "programmes") { Indonesian = $"Segmen {input.Segment} tidak dapat mengikuti program {ProgrammeSets.Format(extra)}; hapus program itu." };
        }

        return input.Segment switch
        {
            Segment.PU => PuContribution.Calculate(input, c, trace),
            Segment.BPU => BpuContribution.Calculate(input, trace),
            Segment.JAKON => JakonContribution.Calculate(input, trace),
            _ => PmiContribution.Calculate(input, trace),
        };
    }

    internal static ContributionResult Result(ContributionInput input, List<ContributionLine> lines, DateOnly? due, Trace trace)
    {
        long employer = lines.Sum(l => l.Employer), worker = lines.Sum(l => l.Worker), government = lines.Sum(l => l.Government);
        return new ContributionResult(input.Segment.ToString(), input.Period.ToString(), lines, employer, worker, government, employer + worker, due, trace.Steps);
    }
}
