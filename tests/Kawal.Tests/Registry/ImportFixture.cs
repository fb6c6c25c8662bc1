using Kawal.Identity;
using Dapper;
using Kawal.Registry.Features;
using Kawal.Registry.Import;
using Kawal.Regions;
using Kawal.Testing;

namespace Kawal.Tests.Registry;

/// <summary>Runs the real import handlers on a test database with files from Registry/Files.</summary>
internal static class ImportFixture
{
    public static readonly FixedTime Today = new(new DateTimeOffset(2026, 11, 21, 10, 0, 0, TimeSpan.FromHours(7)));

    public static string File(string name) => Path.Combine(AppContext.BaseDirectory, "Registry", "Files", name);

    public static Task<ImportSummary> Import(TestDatabase t, string kind, string file, bool dryRun = false, bool allOrNothing = false)
    {
        var request = new ImportRequest(file.Contains('/', StringComparison.Ordinal) ? file : File(file), Caller.Operator("officer"),
            Path.Combine(Path.GetTempPath(), "kawal-test-reports", Guid.NewGuid().ToString("N")), dryRun, allOrNothing);
        var regions = new RegionLookup(t.Database);
        return kind == "employers"
            ? new ImportEmployersHandler(t.Database, regions, Today).HandleAsync(request)
            : new ImportParticipantsHandler(t.Database, regions, Today).HandleAsync(request);
    }

    public static async Task<long> Count(TestDatabase t, string sql, object? args = null)
    {
        await using var c = await t.Database.OpenAsync();
        return await c.ExecuteScalarAsync<long>(sql, args);
    }

    public static async Task<List<T>> Query<T>(TestDatabase t, string sql, object? args = null)
    {
        await using var c = await t.Database.OpenAsync();
        return (await c.QueryAsync<T>(sql, args)).ToList();
    }

    /// <summary>Everything an import writes, in a comparable form (no ids or timestamps).</summary>
    public static async Task<List<string>> State(TestDatabase t) => await Query<string>(t,
        """
        SELECT p.nik || '|' || p.name || '|' || p.sex || '|' || m.segment || '|' || COALESCE(e.npp, '-') || '|' || m.category || '|' ||
               m.payer_kind || '|' || COALESCE(m.payer_ref, '-') || '|' || m.programmes || '|' || CAST(m.wage AS text) || '|' || m.region_code
        FROM memberships m JOIN participants p ON p.id = m.participant_id LEFT JOIN employers e ON e.id = m.employer_id
        ORDER BY p.nik, m.segment, e.npp
        """);
}
