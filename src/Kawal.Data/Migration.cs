using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Kawal.Data;

/// <summary>One forward-only schema step of a module for one engine.</summary>
public sealed record Migration(string Module, int Version, string Name, string Sql, string Checksum)
{
    public string Id => $"{Module}/{Version:D4}_{Name}";

    public static string ChecksumOf(string sql) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sql.ReplaceLineEndings("\n"))));
}

/// <summary>
/// The migrations of one module: embedded resources named <c>kawal.migrations.NNNN_name.sqlite.sql</c> and
/// <c>…postgres.sql</c>, always in pairs.
/// </summary>
public sealed partial class MigrationSource
{
    public const string DefaultPrefix = "kawal.migrations.";
    private readonly Assembly _assembly;
    private readonly string _prefix;
    private readonly Dictionary<Engine, IReadOnlyList<Migration>> _byEngine = [];

    public MigrationSource(string module, Assembly assembly, string resourcePrefix = DefaultPrefix)
    {
        Module = module;
        _assembly = assembly;
        _prefix = resourcePrefix;
    }

    public string Module { get; }

    /// <summary>The engine's migrations in order; the embedded files are read and hashed on first use only.</summary>
    public IReadOnlyList<Migration> For(Engine engine)
    {
        lock (_byEngine)
        {
            if (!_byEngine.TryGetValue(engine, out var list))
            {
                list = Load(engine);
                _byEngine[engine] = list;
            }

            return list;
        }
    }

    private List<Migration> Load(Engine engine)
    {
        var all = Scan();
        var suffix = Suffix(engine);
        foreach (var group in all.GroupBy(m => (m.Version, m.Name)))
        {
            if (group.Count() != 2)
            {
                throw new KawalException(
                    $"migration {Module}/{group.Key.Version:D4}_{group.Key.Name} must exist as both .sqlite.sql and .postgres.sql");
            }
        }

        var duplicates = all.Where(m => m.Engine == suffix).GroupBy(m => m.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicates is not null)
        {
            throw new KawalException($"module {Module} has two migrations numbered {duplicates.Key:D4}");
        }

        return all.Where(m => m.Engine == suffix)
            .OrderBy(m => m.Version)
            .Select(m => new Migration(Module, m.Version, m.Name, m.Sql, Migration.ChecksumOf(m.Sql)))
            .ToList();
    }

    private static string Suffix(Engine engine) => engine == Engine.Postgres ? "postgres" : "sqlite";

    private List<(int Version, string Name, string Engine, string Sql)> Scan()
    {
        var found = new List<(int, string, string, string)>();
        foreach (var resource in _assembly.GetManifestResourceNames().Where(r => r.StartsWith(_prefix, StringComparison.Ordinal)))
        {
            var file = resource[_prefix.Length..];
            var match = FileName().Match(file);
            if (!match.Success)
            {
                throw new KawalException($"migration file '{file}' of module {Module} is not named NNNN_name.sqlite.sql or NNNN_name.postgres.sql");
            }

            using var stream = _assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream, Encoding.UTF8);
            found.Add((int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture),
                match.Groups[2].Value, match.Groups[3].Value, reader.ReadToEnd()));
        }

        return found;
    }

    [GeneratedRegex(@"^(\d{4})_([a-z0-9_]+)\.(sqlite|postgres)\.sql$")]
    private static partial Regex FileName();
}
