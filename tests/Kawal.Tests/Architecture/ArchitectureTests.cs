using System.Reflection;

namespace Kawal.Tests.Architecture;

/// <summary>Keeps the layering of ARCHITECTURE.md §2: engine-specific code only in Kawal.Data; a tiny, dependency-free kernel.</summary>
public class ArchitectureTests
{
    private static readonly string[] EngineAssemblies = ["Npgsql", "Microsoft.Data.Sqlite", "SQLitePCLRaw.core"];

    private static Assembly Load(string name) => Assembly.Load(name);

    [Theory]
    [InlineData("Kawal.Kernel")]
    [InlineData("Kawal.Ui")]
    [InlineData("Kawal.Regions")]
    [InlineData("Kawal.Rules")]
    [InlineData("Kawal.Registry")]
    public void Modules_do_not_reference_database_drivers(string assembly)
    {
        var references = Load(assembly).GetReferencedAssemblies().Select(a => a.Name).ToList();
        Assert.DoesNotContain(references, r => EngineAssemblies.Contains(r));
    }

    [Fact]
    public void The_kernel_depends_on_nothing_but_the_runtime()
    {
        var references = Load("Kawal.Kernel").GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.All(references, r => Assert.True(r.StartsWith("System", StringComparison.Ordinal) || r == "netstandard", r));
    }

    [Fact]
    public void The_rules_project_does_no_io()
    {
        var references = Load("Kawal.Rules").GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.All(references, r => Assert.True(r.StartsWith("System", StringComparison.Ordinal) || r == "Kawal.Kernel", r));
        string[] forbidden = ["File.", "Directory.", "FileStream", "HttpClient", "Socket", "Console.", "Environment.", "DateTime.Now", "DateTime.UtcNow", "DbConnection", "Process."];
        var sources = Directory.EnumerateFiles(Path.Combine(FindRepositoryRoot(), "src", "Kawal.Rules"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal));
        foreach (var file in sources)
        {
            var text = File.ReadAllText(file);
            Assert.All(forbidden, word => Assert.False(text.Contains(word, StringComparison.Ordinal), $"{file} uses {word}"));
        }
    }

    [Fact]
    public void Engine_specific_sql_lives_only_in_paired_migration_files()
    {
        var root = FindRepositoryRoot();
        var sqlFiles = Directory.EnumerateFiles(Path.Combine(root, "src"), "*.sql", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/bin/", StringComparison.Ordinal) && !f.Contains("/obj/", StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(sqlFiles);
        Assert.All(sqlFiles, f => Assert.Matches(@"/Migrations/\d{4}_[a-z0-9_]+\.(sqlite|postgres)\.sql$", f));
    }

    internal static string FindRepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Kawal.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Kawal.slnx not found above " + AppContext.BaseDirectory);
    }
}
