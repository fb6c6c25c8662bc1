using Kawal.Data;
using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Kawal.Testing;

/// <summary>
/// A theory that runs once per configured engine: always SQLite, and PostgreSQL as well when
/// <c>KAWAL_TEST_POSTGRES</c> holds a connection string. The test method takes one <see cref="Engine"/> parameter.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
[XunitTestCaseDiscoverer("Kawal.Testing.EngineTheoryDiscoverer", TestEngines.AssemblyName)]
public sealed class EngineTheoryAttribute : FactAttribute
{
}

public sealed class EngineTheoryDiscoverer(IMessageSink diagnosticMessageSink) : IXunitTestCaseDiscoverer
{
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        foreach (var engine in TestEngines.Configured)
        {
            yield return new XunitTestCase(diagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(),
                discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, [engine]);
        }
    }
}

public static class TestEngines
{
#if KAWAL_WEB_TESTS
    public const string AssemblyName = "Kawal.Web.Tests";
#else
    public const string AssemblyName = "Kawal.Tests";
#endif

    public const string PostgresVariable = "KAWAL_TEST_POSTGRES";

    public static string? PostgresAdmin => Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } s ? s : null;

    public static IReadOnlyList<Engine> Configured =>
        PostgresAdmin is null ? [Engine.Sqlite] : [Engine.Sqlite, Engine.Postgres];
}
