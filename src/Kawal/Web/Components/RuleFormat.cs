using Kawal.Rules;
using Kawal.Ui;

namespace Kawal.Web.Components;

/// <summary>How trace steps are shown on pages (values and units: <see cref="Fmt.Quantity"/>).</summary>
internal static class RuleFormat
{
    public static string Step(TraceStep s) => L.IsEnglish ? s.DescriptionEn : s.Description;
}
