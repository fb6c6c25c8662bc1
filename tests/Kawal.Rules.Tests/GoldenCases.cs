using System.Text.Json;
using System.Text.Json.Nodes;
using Kawal.Rules;

namespace Kawal.Rules.Tests;

/// <summary>
/// Golden case files (Golden/*.json): inputs as the API takes them, and the amounts expected. Expectation keys are
/// paths into the JSON result: <c>lines.JKK.employer</c> (a line by programme), <c>payments.12.amount</c> (0-based),
/// <c>lines.length</c>, <c>trace.PREFIX</c> (the amount of the trace step whose English text starts with PREFIX; null:
/// no such step), <c>error</c> (text in the error message) and <c>errorField</c>.
/// </summary>
public sealed record GoldenCase(string File, string Name, string Calc, JsonObject Input, JsonObject Expect)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    public static readonly DateOnly Today = new(2026, 11, 21);

    public override string ToString() => $"{File}: {Name}";

    public static IReadOnlyList<GoldenCase> All { get; } = Load();

    public static IEnumerable<object[]> Names => All.Select(c => new object[] { c.ToString() });

    private static List<GoldenCase> Load()
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "Golden");
        var list = new List<GoldenCase>();
        foreach (var file in Directory.GetFiles(folder, "*.json").Order(StringComparer.Ordinal))
        {
            var doc = JsonNode.Parse(System.IO.File.ReadAllText(file))!;
            foreach (var c in doc["cases"]!.AsArray())
            {
                list.Add(new GoldenCase(Path.GetFileName(file), c!["name"]!.GetValue<string>(), c["calc"]!.GetValue<string>(),
                    c["input"]!.AsObject(), c["expect"]!.AsObject()));
            }
        }

        return list;
    }

    /// <summary>Runs the case through the same entry point as the CLI and the API; returns the result as JSON, or the error.</summary>
    public (JsonNode? Result, UsageException? Error, IReadOnlyList<TraceStep> Trace) Run()
    {
        try
        {
            object result;
            IReadOnlyList<TraceStep> trace;
            if (Calc == "contribution")
            {
                var r = Kawal.Rules.Calc.Contribution(Input.Deserialize<ContributionRequest>(Json)!);
                (result, trace) = (r, r.Trace);
            }
            else
            {
                var r = Kawal.Rules.Calc.Benefit(Calc["benefit:".Length..], Input.Deserialize<BenefitRequest>(Json)!, Today);
                (result, trace) = (r, r.Trace);
            }

            return (JsonSerializer.SerializeToNode(result, result.GetType(), Json), null, trace);
        }
        catch (UsageException e)
        {
            return (null, e, []);
        }
    }

    public static JsonNode? Resolve(JsonNode root, string path)
    {
        JsonNode? node = root;
        foreach (var part in path.Split('.'))
        {
            node = node switch
            {
                JsonArray a when part == "length" => JsonValue.Create(a.Count),
                JsonArray a when int.TryParse(part, out var i) => i < a.Count ? a[i] : throw new KeyNotFoundException($"{path}: no element {i}"),
                JsonArray a => a.FirstOrDefault(e => e?["programme"]?.GetValue<string>() == part) ?? throw new KeyNotFoundException($"{path}: no line {part}"),
                JsonObject o => o.TryGetPropertyValue(part, out var v) ? v : throw new KeyNotFoundException($"{path}: no property {part}"),
                _ => throw new KeyNotFoundException($"{path}: cannot go into {part}"),
            };
        }

        return node;
    }
}
