using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kawal.Rules;

/// <summary>One dated value of a parameter: valid over [From, To), with the regulation that sets it.</summary>
public sealed record ParameterValue(DateOnly From, DateOnly? To, decimal Value, string Citation)
{
    public bool Covers(DateOnly date) => From <= date && (To is null || date < To);
}

/// <summary>
/// A rate, cap, amount, age or deadline of the regulations, with its history. <see cref="Description"/> and
/// <see cref="Group"/> are English; <see cref="Keterangan"/> and <see cref="Kelompok"/> are their Indonesian texts.
/// </summary>
public sealed record Parameter(string Id, string Unit, string Description, string Keterangan, string Group, string Kelompok, IReadOnlyList<ParameterValue> Values)
{
    public ParameterValue? TryAt(DateOnly date) => Values.FirstOrDefault(v => v.Covers(date));

    public ParameterValue At(DateOnly date) => TryAt(date) ?? throw new NoRuleException(Id, date, Values);
}

/// <summary>Asking for a parameter on a date no regulation covers: an error, never a silent zero.</summary>
public sealed class NoRuleException : UsageException
{
    public NoRuleException(string id, DateOnly date, IReadOnlyList<ParameterValue> values)
        : base($"no rule gives {id} on {date.ToIso()} (it has values for {Describe(values)})", "date")
    {
        ParameterId = id;
        Indonesian = $"Tidak ada peraturan yang menetapkan {id} pada tanggal {date.ToIso()} (nilainya ada untuk {Describe(values)}); pilih tanggal dalam rentang itu.";
    }

    public NoRuleException()
    {
    }

    public NoRuleException(string message)
        : base(message)
    {
    }

    public NoRuleException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public string ParameterId { get; } = "";

    private static string Describe(IReadOnlyList<ParameterValue> values) =>
        string.Join(", ", values.Select(v => $"{v.From.ToIso()}–{(v.To is { } t ? t.AddDays(-1).ToIso() : "")}"));
}

/// <summary>
/// The parameter catalogue: embedded JSON files (Catalogue/*.json), checked when loaded (unique ids, ordered and
/// non-overlapping date ranges, a citation on every value).
/// </summary>
public sealed class ParameterCatalogue
{
    private static readonly Lazy<ParameterCatalogue> Shipped = new(Load);
    private readonly Dictionary<string, Parameter> _byId;

    private ParameterCatalogue(IReadOnlyList<Parameter> all)
    {
        All = all;
        _byId = all.ToDictionary(p => p.Id, StringComparer.Ordinal);
    }

    /// <summary>The catalogue shipped in this build.</summary>
    public static ParameterCatalogue Default => Shipped.Value;

    public IReadOnlyList<Parameter> All { get; }

    public Parameter this[string id] =>
        _byId.TryGetValue(id, out var p) ? p : throw new KeyNotFoundException($"unknown rule parameter {id}");

    public bool Contains(string id) => _byId.ContainsKey(id);

    public ParameterValue At(string id, DateOnly date) => this[id].At(date);

    public decimal Value(string id, DateOnly date) => this[id].At(date).Value;

    public static ParameterCatalogue FromJson(IEnumerable<string> documents)
    {
        var all = new List<Parameter>();
        foreach (var json in documents)
        {
            var file = JsonSerializer.Deserialize<FileDto>(json, JsonOptions) ?? throw new InvalidDataException("empty catalogue file");
            foreach (var p in file.Parameters)
            {
                var values = p.Values.Select(v => new ParameterValue(v.From, v.To, v.Value, v.Citation)).ToList();
                all.Add(new Parameter(p.Id, p.Unit, p.Description, p.Keterangan, file.Group, file.Kelompok, values));
            }
        }

        Validate(all);
        return new ParameterCatalogue(all);
    }

    private static ParameterCatalogue Load()
    {
        var assembly = typeof(ParameterCatalogue).Assembly;
        var docs = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("kawal.rules.", StringComparison.Ordinal) && n.EndsWith(".json", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n =>
            {
                using var reader = new StreamReader(assembly.GetManifestResourceStream(n)!);
                return reader.ReadToEnd();
            });
        return FromJson(docs);
    }

    private static void Validate(List<Parameter> all)
    {
        var duplicate = all.GroupBy(p => p.Id).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidDataException($"rule parameter {duplicate.Key} is defined twice");
        }

        foreach (var p in all)
        {
            if (string.IsNullOrWhiteSpace(p.Description) || string.IsNullOrWhiteSpace(p.Keterangan) || string.IsNullOrWhiteSpace(p.Kelompok))
            {
                throw new InvalidDataException($"rule parameter {p.Id} needs an English description, an Indonesian keterangan and a kelompok");
            }

            if (p.Values.Count == 0)
            {
                throw new InvalidDataException($"rule parameter {p.Id} has no value");
            }

            for (var i = 0; i < p.Values.Count; i++)
            {
                var v = p.Values[i];
                if (string.IsNullOrWhiteSpace(v.Citation))
                {
                    throw new InvalidDataException($"rule parameter {p.Id} from {v.From.ToIso()} has no citation");
                }

                if (v.To is { } to && to <= v.From)
                {
                    throw new InvalidDataException($"rule parameter {p.Id}: value from {v.From.ToIso()} ends before it starts");
                }

                if (i > 0 && (p.Values[i - 1].To is not { } prevTo || prevTo > v.From))
                {
                    throw new InvalidDataException($"rule parameter {p.Id}: value from {v.From.ToIso()} overlaps the one before it");
                }
            }
        }
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        Converters = { new DateOnlyIsoConverter() },
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    private sealed record FileDto(string Group, string Kelompok, List<ParameterDto> Parameters);

    private sealed record ParameterDto(string Id, string Unit, string Description, string Keterangan, List<ValueDto> Values);

    private sealed record ValueDto(DateOnly From, DateOnly? To, decimal Value, string Citation);

    private sealed class DateOnlyIsoConverter : JsonConverter<DateOnly>
    {
        public override DateOnly Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            DateOnly.ParseExact(reader.GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture);

        public override void Write(Utf8JsonWriter writer, DateOnly value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.ToIso());
    }
}
