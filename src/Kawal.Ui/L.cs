using System.Globalization;

namespace Kawal.Ui;

/// <summary>
/// Language of the user interface. Indonesian is the default; English is selectable. Each text is written with its
/// translation beside it (<c>L.T("Wilayah", "Regions")</c>) so that no string goes untranslated.
/// </summary>
public static class L
{
    public const string Indonesian = "id";
    public const string English = "en";
    public const string CookieName = "kawal-lang";

    public static bool IsEnglish => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == English;

    public static string Current => IsEnglish ? English : Indonesian;

    public static string T(string indonesian, string english) => IsEnglish ? english : indonesian;
}
