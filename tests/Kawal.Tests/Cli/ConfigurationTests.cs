using Kawal.Data;
using Kawal.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using static Kawal.Tests.Cli.CliHarness;

namespace Kawal.Tests.Cli;

/// <summary>Tests that set process environment variables run one at a time (no other test reads these variables).</summary>
[CollectionDefinition(nameof(ProcessEnvironment), DisableParallelization = true)]
public sealed class ProcessEnvironment;

/// <summary>
/// The database in one precedence, for commands and for the host of <c>serve</c> alike (docs/operations.md):
/// --database, KAWAL_DATABASE, Kawal:Database (Kawal__Database, then appsettings.json), then ./kawal-data/kawal.db.
/// </summary>
[Collection(nameof(ProcessEnvironment))]
public sealed class ConfigurationTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("kawal-config-").FullName;

    private string Db(string name) => $"sqlite:{Path.Combine(_folder, name)}";

    private void AppSettings(string database) =>
        File.WriteAllText(Path.Combine(_folder, "appsettings.json"), $$"""{ "Kawal": { "Database": "{{database}}" } }""");

    [Fact]
    public void Each_source_outranks_the_ones_after_it()
    {
        string? Resolved(string? option) => Settings.ResolveDatabase(Settings.Configuration(option, _folder)).SqlitePath;

        using var _ = new Variables((Settings.DatabaseVariable, null), ("Kawal__Database", null));
        Assert.Equal(Path.GetFullPath("kawal-data/kawal.db"), Resolved(null));
        AppSettings(Db("json.db"));
        Assert.Equal(Path.Combine(_folder, "json.db"), Resolved(null));
        Environment.SetEnvironmentVariable("Kawal__Database", Db("config.db"));
        Assert.Equal(Path.Combine(_folder, "config.db"), Resolved(null));
        Environment.SetEnvironmentVariable(Settings.DatabaseVariable, Db("variable.db"));
        Assert.Equal(Path.Combine(_folder, "variable.db"), Resolved(null));
        Assert.Equal(Path.Combine(_folder, "option.db"), Resolved(Db("option.db")));
        Environment.SetEnvironmentVariable(Settings.DatabaseVariable, " ");
        Assert.Equal(Path.Combine(_folder, "config.db"), Resolved(null)); // blank is unset
    }

    [Fact]
    public async Task Commands_read_Kawal__Database_below_KAWAL_DATABASE_and_the_option()
    {
        using var _ = new Variables((Settings.DatabaseVariable, null), ("Kawal__Database", Db("config.db")));

        var config = await Run("db", "migrate");
        Environment.SetEnvironmentVariable(Settings.DatabaseVariable, Db("variable.db"));
        var variable = await Run("db", "migrate");
        var option = await Run("db", "migrate", "--database", Db("option.db"));

        Assert.Equal(0, config.Exit);
        Assert.Contains($"{Db("config.db")}: applied", config.Out, StringComparison.Ordinal);
        Assert.Contains($"{Db("variable.db")}: applied", variable.Out, StringComparison.Ordinal);
        Assert.Contains($"{Db("option.db")}: applied", option.Out, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_folder, "config.db")));
    }

    [Fact]
    public void The_host_of_serve_resolves_the_database_in_the_same_order()
    {
        string Host(IDictionary<string, string?> settings)
        {
            using var host = KawalWeb.CreateHostBuilder(settings).UseContentRoot(_folder).Build(); // built, not started
            return host.Services.GetRequiredService<Database>().Spec.Display;
        }

        using var _ = new Variables((Settings.DatabaseVariable, null), ("Kawal__Database", null));
        AppSettings(Db("json.db"));
        Assert.Equal(Db("json.db"), Host(new Dictionary<string, string?>()));
        Environment.SetEnvironmentVariable("Kawal__Database", Db("config.db"));
        Assert.Equal(Db("config.db"), Host(new Dictionary<string, string?>()));
        Environment.SetEnvironmentVariable(Settings.DatabaseVariable, Db("variable.db"));
        Assert.Equal(Db("variable.db"), Host(new Dictionary<string, string?>()));
        Assert.Equal(Db("option.db"), Host(new Dictionary<string, string?> { [Settings.DatabaseKey] = Db("option.db") }));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, true);
    }

    /// <summary>Sets environment variables for one test and restores them after.</summary>
    private sealed class Variables : IDisposable
    {
        private readonly (string Name, string? Value)[] _previous;

        public Variables(params (string Name, string? Value)[] values)
        {
            _previous = [.. values.Select(v => (v.Name, Environment.GetEnvironmentVariable(v.Name)))];
            foreach (var (name, value) in values)
            {
                Environment.SetEnvironmentVariable(name, value);
            }
        }

        public void Dispose()
        {
            foreach (var (name, value) in _previous)
            {
                Environment.SetEnvironmentVariable(name, value);
            }
        }
    }
}
