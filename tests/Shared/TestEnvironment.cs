using System.Runtime.CompilerServices;

namespace Kawal.Testing;

/// <summary>Process settings for each test assembly (this file is compiled into both), applied before any test host is built.</summary>
internal static class TestEnvironment
{
    /// <summary>
    /// Each test host would watch its configuration files and content root with inotify; a run builds some 150 hosts, and
    /// with another dotnet process on the machine the per-user limit of 128 inotify instances was reached (IOException on
    /// host start, 36 tests in one CI run). Test hosts never reload configuration, so they watch nothing.
    /// </summary>
#pragma warning disable CA2255 // a test assembly's process-wide setting, on purpose
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Apply()
    {
        Environment.SetEnvironmentVariable("DOTNET_hostBuilder__reloadConfigOnChange", "false");
        Environment.SetEnvironmentVariable("DOTNET_USE_POLLING_FILE_WATCHER", "1");
    }
}
