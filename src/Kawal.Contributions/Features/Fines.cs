using Kawal.Rules;
using Kawal.Rules.Benefits;

namespace Kawal.Contributions.Features;

/// <summary>
/// Late fines of a bill, from the rules engine (<see cref="LateFine"/>): on each part paid after the due date, for the
/// months it was late, and on the part still unpaid, for the months it is late on the statement's date. Employer-paid
/// (PU, Jakon) bills: <c>fine.rate</c> on the JKK/JKM/JHT share and <c>fine.rate.jp</c> on the JP share, at the rates in
/// force on the due date. BPU bills: <c>fine.rate.bpu</c> (none).
/// </summary>
public static class Fines
{
    public sealed record Part(long Amount, DateOnly PaidOn);

    public sealed record BillFine(long Fine, int MonthsLate, decimal Rate, string ParameterId, string Citation);

    public static BillFine For(string group, long amount, long jpAmount, DateOnly due, IEnumerable<Part> paidParts, long outstanding, DateOnly asOf)
    {
        var id = group == "BPU" ? "fine.rate.bpu" : "fine.rate";
        var value = ParameterCatalogue.Default.At(id, due);
        long fine = 0;
        var parts = paidParts.Where(p => p.PaidOn > due).ToList();
        if (outstanding > 0 && asOf > due)
        {
            parts.Add(new Part(outstanding, asOf));
        }

        var months = outstanding > 0 ? LateFine.MonthsLate(due, asOf) : parts.Select(p => LateFine.MonthsLate(due, p.PaidOn)).DefaultIfEmpty(0).Max();
        if (group != "BPU" && amount > 0)
        {
            foreach (var p in parts)
            {
                var jp = jpAmount == 0 ? 0 : p.Amount * jpAmount / amount;
                fine += LateFine.Calculate(p.Amount - jp, due, p.PaidOn).Total;
                if (jp > 0)
                {
                    fine += LateFine.Calculate(jp, due, p.PaidOn, jp: true).Total;
                }
            }
        }

        return new BillFine(fine, months, value.Value, id, value.Citation);
    }

    /// <summary>Ageing bucket of an unpaid amount by started months past its due date.</summary>
    public static string Bucket(DateOnly due, DateOnly asOf) => LateFine.MonthsLate(due, asOf) switch
    {
        0 => "current",
        <= 3 => "1-3",
        <= 6 => "4-6",
        <= 12 => "7-12",
        _ => "over12",
    };

    public static readonly string[] Buckets = ["current", "1-3", "4-6", "7-12", "over12"];
}
