using System.Text.Json.Nodes;

namespace Kawal.Rules.Tests;

public class GoldenCaseTests
{
    [Fact]
    public void There_are_at_least_80_cases_and_every_handbook_example_is_one()
    {
        Assert.True(GoldenCase.All.Count >= 80, $"{GoldenCase.All.Count} golden cases");
        var examples = GoldenCase.All.Where(c => c.File == "handbook-examples.json").Select(c => c.Name).ToList();
        Assert.Equal(28, examples.Count);
    }

    [Theory]
    [MemberData(nameof(GoldenCase.Names), MemberType = typeof(GoldenCase))]
    public void Golden_case(string name)
    {
        var c = GoldenCase.All.Single(x => x.ToString() == name);
        var (result, error, trace) = c.Run();
        foreach (var (key, expected) in c.Expect)
        {
            if (key == "error")
            {
                Assert.True(error is not null, $"{name}: expected an error containing '{expected}', got a result");
                Assert.Contains(expected!.GetValue<string>(), error.Message, StringComparison.Ordinal);
            }
            else if (key == "errorField")
            {
                Assert.True(error is not null, $"{name}: expected an error on field {expected}");
                Assert.Equal(expected!.GetValue<string>(), error.Field);
            }
            else if (key.StartsWith("trace.", StringComparison.Ordinal))
            {
                Assert.True(error is null, $"{name}: unexpected error {error?.Message}");
                var prefix = key["trace.".Length..];
                var step = trace.FirstOrDefault(s => s.Amount is not null && s.DescriptionEn.StartsWith(prefix, StringComparison.Ordinal));
                Assert.Equal(expected?.GetValue<long>(), step?.Amount);
            }
            else
            {
                Assert.True(error is null, $"{name}: unexpected error {error?.Message}");
                var actual = GoldenCase.Resolve(result!, key);
                Assert.True(JsonNode.DeepEquals(Normalise(expected), Normalise(actual)), $"{name}: {key} expected {expected?.ToJsonString()}, got {actual?.ToJsonString()}");
            }
        }
    }

    [Fact]
    public void Every_successful_case_explains_itself_with_citations()
    {
        foreach (var c in GoldenCase.All)
        {
            var (result, error, trace) = c.Run();
            if (error is not null)
            {
                continue;
            }

            Assert.NotEmpty(trace);
            Assert.All(trace.Where(s => s.ParameterId is not null), s => Assert.False(string.IsNullOrWhiteSpace(s.Citation), $"{c}: {s.ParameterId} without citation"));
            Assert.NotNull(result!["total"]);
        }
    }

    private static JsonNode? Normalise(JsonNode? n) =>
        n is JsonValue v && v.TryGetValue<decimal>(out var d) ? JsonValue.Create(d) : n?.DeepClone();
}
