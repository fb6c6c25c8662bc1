using System.Globalization;

namespace Kawal.Rules;

/// <summary>
/// One step of an explanation: what was computed (in Indonesian and English), from which parameter value, under
/// which regulation, and the amount it gave.
/// </summary>
public sealed record TraceStep(string Description, string DescriptionEn, string? ParameterId, decimal? Value, string? Unit, string? Citation, long? Amount);

/// <summary>Collects the steps of a calculation.</summary>
public sealed class Trace
{
    private readonly List<TraceStep> _steps = [];
    private readonly ParameterCatalogue _catalogue;
    private readonly DateOnly _date;

    public Trace(ParameterCatalogue catalogue, DateOnly date)
    {
        _catalogue = catalogue;
        _date = date;
    }

    public IReadOnlyList<TraceStep> Steps => _steps;

    /// <summary>Reads a parameter on the calculation's date and records it (without an amount).</summary>
    public decimal Use(string id, string description, string descriptionEn) => Use(id, _date, description, descriptionEn);

    public decimal Use(string id, DateOnly date, string description, string descriptionEn)
    {
        var p = _catalogue[id];
        var v = p.At(date);
        _steps.Add(new TraceStep(description, descriptionEn, id, v.Value, p.Unit, v.Citation, null));
        return v.Value;
    }

    /// <summary>Records an amount computed from a parameter already read (or from inputs when id is null).</summary>
    public long Amount(string description, string descriptionEn, long amount, string? id = null)
    {
        ParameterValue? v = id is null ? null : _catalogue.At(id, _date);
        _steps.Add(new TraceStep(description, descriptionEn, id, v?.Value, id is null ? null : _catalogue[id].Unit, v?.Citation, amount));
        return amount;
    }

    public void Note(string description, string descriptionEn) => _steps.Add(new TraceStep(description, descriptionEn, null, null, null, null, null));

    public static string Rp(long amount) => new Rupiah(amount).ToString();

    public static string Pct(decimal percent) => percent.ToString("0.###", CultureInfo.InvariantCulture) + "%";
}
