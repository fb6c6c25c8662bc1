using System.Security.Cryptography;
using System.Text;
using Dapper;
using Kawal.Data;
using Kawal.Demo;
using Kawal.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Kawal.Tests.Demo;

/// <summary>kawal demo seed: determinism, validation through the product's imports, marking, and refusing a second seed.</summary>
public class DemoTests
{
    private static readonly FixedTime Today = new(new DateTimeOffset(2026, 11, 21, 10, 0, 0, TimeSpan.FromHours(7)));

    /// <summary>A small demo: 400 participants, January–October 2026.</summary>
    private static DemoOptions Small(int seed) => new(400, seed, new Period(2026, 1), new Period(2026, 10));

    private static ServiceProvider Services(TestDatabase t)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Today);
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddSingleton(t.Database);
        services.AddSingleton(Modules.Data);
        services.AddLogging();
        services.AddKawalModules();
        return services.BuildServiceProvider();
    }

    private static async Task<DemoSummary> SeedAsync(TestDatabase t, DemoOptions options)
    {
        await using var sp = Services(t);
        return await sp.GetRequiredService<DemoSeeder>().SeedAsync(options, TextWriter.Null);
    }

    /// <summary>Everything the demo wrote, without ids or timestamps, as one digest per table.</summary>
    private static async Task<Dictionary<string, string>> DumpAsync(TestDatabase t)
    {
        var queries = new Dictionary<string, string>
        {
            ["employers"] = "SELECT npp || '|' || name || '|' || kind || '|' || region_code || '|' || CAST(risk_class AS TEXT) || '|' || size || '|' || status FROM employers ORDER BY npp",
            ["participants"] = "SELECT nik || '|' || name || '|' || sex || '|' || CAST(birth_date AS TEXT) FROM participants ORDER BY nik",
            ["memberships"] = """
                SELECT p.nik || '|' || m.segment || '|' || m.category || '|' || m.payer_kind || '|' || COALESCE(m.payer_ref, '') || '|' || m.programmes || '|' || CAST(m.wage AS TEXT)
                    || '|' || CAST(m.valid_from AS TEXT) || '|' || COALESCE(CAST(m.valid_to AS TEXT), '') || '|' || m.status
                FROM memberships m JOIN participants p ON p.id = m.participant_id ORDER BY p.nik, m.segment
                """,
            ["bills"] = "SELECT y.payer_key || '|' || b.period || '|' || CAST(b.amount AS TEXT) || '|' || CAST(b.paid AS TEXT) FROM bills b JOIN payers y ON y.id = b.payer_id ORDER BY y.payer_key, b.period",
            ["payments"] = "SELECT reference || '|' || CAST(amount AS TEXT) || '|' || CAST(paid_on AS TEXT) FROM payments ORDER BY reference",
            ["commitments"] = "SELECT region_code || '|' || CAST(fiscal_year AS TEXT) || '|' || kind || '|' || status FROM commitments ORDER BY region_code, fiscal_year, kind",
            ["recommendations"] = "SELECT action || '|' || owner_region || '|' || CAST(due_date AS TEXT) || '|' || status FROM monev_recommendations ORDER BY owner_region, action, due_date",
            ["denominators"] = "SELECT region_code || '|' || CAST(year AS TEXT) || '|' || kind || '|' || CAST(value AS TEXT) FROM monev_denominators ORDER BY region_code, year, kind",
        };
        await using var c = await t.Database.OpenAsync();
        var result = new Dictionary<string, string>();
        foreach (var (table, sql) in queries)
        {
            var rows = (await c.QueryAsync<string>(sql)).ToList();
            result[table] = $"{rows.Count} rows, sha256 {Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', rows))))}";
        }

        return result;
    }

    [EngineTheory]
    public async Task The_same_seed_gives_the_same_data_and_another_seed_other_data(Engine engine)
    {
        await using var a = await TestDatabase.MigratedAsync(engine);
        await using var b = await TestDatabase.MigratedAsync(engine);
        var first = await SeedAsync(a, Small(7));
        var second = await SeedAsync(b, Small(7));
        Assert.Equal(first with { Seconds = 0 }, second with { Seconds = 0 });
        var dumpA = await DumpAsync(a);
        Assert.Equal(dumpA, await DumpAsync(b));
        Assert.StartsWith($"{400 + DemoEmployer.Workers} rows", dumpA["participants"], StringComparison.Ordinal); // and the demo employer's workers
        Assert.DoesNotMatch("^0 rows", dumpA["payments"]); // (not a substring: "1760 rows" contains "0 rows")

        await using var other = await TestDatabase.MigratedAsync(engine);
        await SeedAsync(other, Small(8));
        var dumpOther = await DumpAsync(other);
        Assert.NotEqual(dumpA["participants"], dumpOther["participants"]);
        Assert.Equal(dumpA["employers"][..10], dumpOther["employers"][..10]); // as many employers (every kind in every region); their details differ
    }

    [EngineTheory]
    public async Task Every_record_went_through_the_imports_with_no_rejection_and_is_marked_as_demo(Engine engine)
    {
        await using var t = await TestDatabase.MigratedAsync(engine);
        var summary = await SeedAsync(t, Small(11));
        await using var c = await t.Database.OpenAsync();
        var imports = (await c.QueryAsync<(string Kind, long Rows, long Rejected)>("SELECT kind, SUM(rows), SUM(rejected) FROM imports GROUP BY kind ORDER BY kind")).ToList();
        Assert.Equal(["employers", "monev_denominators", "participants", "payments"], imports.Select(i => i.Kind));
        Assert.All(imports, i => Assert.Equal(0, i.Rejected));
        Assert.Equal(summary.Participants, imports.Single(i => i.Kind == "participants").Rows);
        Assert.Equal(summary.Payments, imports.Single(i => i.Kind == "payments").Rows);
        foreach (var table in new[] { "employers", "participants", "memberships" })
        {
            Assert.Equal(0, await c.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table} WHERE is_demo = @no", new { no = false }));
        }

        // Employers of every kind in every regency/city (regional governments and villages among them) and every segment.
        Assert.Equal(514, await c.ExecuteScalarAsync<long>("SELECT COUNT(DISTINCT region_code) FROM employers WHERE kind = 'village'"));
        Assert.Equal(7, await c.ExecuteScalarAsync<long>("SELECT COUNT(DISTINCT kind) FROM employers"));
        Assert.Equal(4, await c.ExecuteScalarAsync<long>("SELECT COUNT(DISTINCT segment) FROM memberships"));
        Assert.True(await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM memberships WHERE payer_kind = 'apbd'") > 0);
        // Commitments at every stage of the workflow, audited like an officer's.
        Assert.Equal(["accepted", "draft", "returned", "submitted", "verified"], (await c.QueryAsync<string>("SELECT DISTINCT status FROM commitments ORDER BY status")).ToList());
        Assert.True(await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM audit_log WHERE action = 'commitment.accept'") > 0);
        // Arrears: some bills past due are unpaid.
        Assert.True(await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM bills WHERE paid < amount AND due_date < @today", new { today = new DateOnly(2026, 11, 21) }) > 0);

        var again = await Assert.ThrowsAsync<KawalException>(() => SeedAsync(t, Small(11)));
        Assert.Contains("already holds a demo", again.Message, StringComparison.Ordinal);
    }

    [EngineTheory]
    public async Task The_demo_employer_has_workers_bills_and_payments_and_Kab_Malang_has_claims_at_every_step(Engine engine)
    {
        await using var t = await TestDatabase.MigratedAsync(engine);
        await using (var sp = Services(t))
        {
            await Kawal.Cli.DemoAccounts.EnsureAsync(sp, CancellationToken.None); // as serve --demo does, before the seed
            await sp.GetRequiredService<DemoSeeder>().SeedAsync(Small(11), TextWriter.Null);
        }

        await using var c = await t.Database.OpenAsync();
        var npp = Kawal.Identity.DemoUsers.EmployerNpp;
        Assert.Equal(DemoEmployer.Workers, await c.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM memberships m JOIN employers e ON e.id = m.employer_id WHERE e.npp = @npp AND m.region_code = '35.07' AND m.is_demo", new { npp }));
        const string Bills = "FROM bills b JOIN payers y ON y.id = b.payer_id WHERE y.payer_key = @key AND b.amount > 0";
        var key = DemoEmployer.PayerKey;
        Assert.Equal(10, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) " + Bills, new { key })); // January–October 2026
        Assert.True(await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM payments y JOIN payers p ON p.id = y.payer_id WHERE p.payer_key = @key", new { key }) >= 8);
        // Billed 21 November: the bills due 15 September and 15 October are unpaid, in arrears.
        Assert.Equal(2, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) " + Bills + " AND b.paid < b.amount AND b.due_date < @today", new { key, today = new DateOnly(2026, 11, 21) }));

        var statuses = (await c.QueryAsync<string>("SELECT DISTINCT status FROM claims WHERE region_code = '35.07' ORDER BY status")).ToList();
        Assert.Equal(["approved", "paid", "rejected", "submitted", "verified"], statuses);
        Assert.True(await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM audit_log WHERE action = 'claim.approve' AND region_code = '35.07'") > 0);
    }
}
