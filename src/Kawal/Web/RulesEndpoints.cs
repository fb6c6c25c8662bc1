using Kawal.Rules;
using Kawal.Rules.Benefits;
using Kawal.Rules.Contributions;
using Kawal.Ui;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Kawal.Web;

/// <summary>The rules engine over HTTP: calculators and the parameter catalogue (public: no personal data).</summary>
internal static class RulesEndpoints
{
    public sealed record ParameterValueDto(DateOnly From, DateOnly? To, decimal Value, string Citation);

    public sealed record ParameterDto(string Id, string Unit, string Description, string Keterangan, string Group, string Kelompok, IReadOnlyList<ParameterValueDto> Values);

    public sealed record ParameterAtDateDto(string Id, string Unit, string Description, string Keterangan, DateOnly Date, decimal Value, DateOnly From, DateOnly? To, string Citation);

    public static void MapRules(this IEndpointRouteBuilder e)
    {
        var calc = e.MapGroup("/api/v1/calc").WithTags("Rules").AllowAnonymous();
        calc.MapPost("/contribution", Contribution)
            .WithName("CalculateContribution")
            .WithSummary("One month's contribution of one membership, with the trace of the rules used");
        calc.MapPost("/benefits/{kind}", Benefit)
            .WithName("CalculateBenefit")
            .WithSummary("A benefit amount with its trace: jkm, jkk-death, jkk-disability, stmb, jp, jkp, jht-partial, retirement-age, fine");

        var rules = e.MapGroup("/api/v1/rules").WithTags("Rules").AllowAnonymous();
        rules.MapGet("/parameters", () => TypedResults.Ok(ParameterCatalogue.Default.All.Select(ToDto).ToList()))
            .WithName("ListRuleParameters")
            .WithSummary("The parameter catalogue with every value's dates and citation");
        rules.MapGet("/parameters/{id}", Parameter)
            .WithName("GetRuleParameter")
            .WithSummary("One parameter: with ?date=YYYY-MM-DD its value on that date, else its history");
    }

    private static Results<Ok<ContributionResult>, ValidationProblem> Contribution(ContributionRequest request)
    {
        try
        {
            return TypedResults.Ok(Calc.Contribution(request));
        }
        catch (UsageException e)
        {
            return Api.Invalid(e);
        }
    }

    private static Results<Ok<BenefitResult>, ValidationProblem> Benefit(string kind, BenefitRequest request, TimeProvider time)
    {
        try
        {
            return TypedResults.Ok(Calc.Benefit(kind, request, time.Today()));
        }
        catch (UsageException e)
        {
            return Api.Invalid(e);
        }
    }

    private static Results<Ok<ParameterDto>, Ok<ParameterAtDateDto>, ValidationProblem, ProblemHttpResult> Parameter(string id, string? date)
    {
        var catalogue = ParameterCatalogue.Default;
        if (!catalogue.Contains(id))
        {
            return Api.NotFound($"no rule parameter has the id '{id}'", $"Tidak ada parameter aturan dengan kode '{id}'.");
        }

        var p = catalogue[id];
        if (string.IsNullOrEmpty(date))
        {
            return TypedResults.Ok(ToDto(p));
        }

        if (!Dates.TryParseIso(date, out var day))
        {
            return Api.Invalid(new UsageException($"date '{date}' is not a date in the form YYYY-MM-DD", "date") { Indonesian = $"Tanggal '{date}' harus berupa tanggal (tahun-bulan-tanggal, misalnya 2025-03-31)." });
        }

        try
        {
            var v = p.At(day);
            return TypedResults.Ok(new ParameterAtDateDto(p.Id, p.Unit, p.Description, p.Keterangan, day, v.Value, v.From, v.To, v.Citation));
        }
        catch (NoRuleException e)
        {
            return Api.Invalid(e);
        }
    }

    private static ParameterDto ToDto(Parameter p) =>
        new(p.Id, p.Unit, p.Description, p.Keterangan, p.Group, p.Kelompok, p.Values.Select(v => new ParameterValueDto(v.From, v.To, v.Value, v.Citation)).ToList());
}
