namespace Kawal.Web.Tests.Browser;

/// <summary>
/// A browser test. It needs Debian's Chromium at /usr/bin/chromium (<c>apt-get install chromium</c>). Where Chromium is
/// missing it is skipped on a developer's machine with that reason, and fails in CI (CI=true), where .ci/run installs it.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class BrowserFactAttribute : FactAttribute
{
    public const string Chromium = "/usr/bin/chromium";

    public BrowserFactAttribute()
    {
        if (!File.Exists(Chromium) && Environment.GetEnvironmentVariable("CI") != "true")
        {
            Skip = $"Chromium is not installed at {Chromium}: apt-get install chromium (CI installs it and runs this test)";
        }
    }
}
