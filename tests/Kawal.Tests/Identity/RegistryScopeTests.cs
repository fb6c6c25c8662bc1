using Dapper;
using Kawal.Data;
using Kawal.Identity;
using Kawal.Regions;
using Kawal.Registry.Features;
using Kawal.Registry.Import;
using Kawal.Testing;
using Kawal.Tests.Registry;

namespace Kawal.Tests.Identity;

/// <summary>Scope is applied in the registry's data access, whatever face (API, page, CLI) calls it.</summary>
public class RegistryScopeTests
{
    private static readonly Caller Root = Caller.Operator("root");
    private static readonly Caller Banjarmasin = Principals.Caller("user:kota.bjm", Role.RegencyOfficer, "63.71", null);
    private static readonly Caller Kalsel = Principals.Caller("user:prov.kalsel", Role.ProvinceOfficer, "63", null);
    private static readonly Caller Monitor = Principals.Caller("user:monev", Role.NationalMonitor, null, null);

    [EngineTheory]
    public async Task Officers_see_and_find_only_their_region(Engine engine)
    {
        await using var t = await TestDatabase.MigratedAsync(engine);
        await ImportFixture.Import(t, "employers", "employers.csv");
        await ImportFixture.Import(t, "participants", "participants-comma.csv");
        var q = new RegistryQueries(t.Database);

        var all = (await q.SearchParticipantsAsync(new(PageSize: 200), Root)).Total;
        var city = await q.SearchParticipantsAsync(new(PageSize: 200), Banjarmasin);
        var province = (await q.SearchParticipantsAsync(new(PageSize: 200), Kalsel)).Total;
        var medan = (await q.SearchParticipantsAsync(new(RegionCode: "12.06"), Root)).Items.Single();

        Assert.True(all > province && province > city.Total && city.Total > 0, $"{all} > {province} > {city.Total} > 0");
        Assert.Null(await q.GetParticipantAsync(medan.Kpj, Banjarmasin));
        Assert.Null(await q.GetParticipantAsync(medan.Kpj, Kalsel));
        Assert.NotNull(await q.GetParticipantAsync(medan.Kpj, Monitor));
        Assert.All((await q.SearchEmployersAsync(new(PageSize: 200), Banjarmasin)).Items, e => Assert.StartsWith("63.71", e.RegionCode, StringComparison.Ordinal));
        await Assert.ThrowsAsync<ForbiddenException>(() => q.SearchParticipantsAsync(new(), Principals.Caller("user:jaksa", Role.Prosecutor, "63.71", null)));
    }

    [EngineTheory]
    public async Task An_officer_cannot_write_outside_their_region(Engine engine)
    {
        await using var t = await TestDatabase.MigratedAsync(engine);
        await ImportFixture.Import(t, "employers", "employers.csv");
        var register = new RegisterRecordsHandler(t.Database, new RegionLookup(t.Database), TimeProvider.System);
        var fields = new Dictionary<string, string?> { ["npp"] = "12060099", ["name"] = "PT Lain", ["kind"] = "private", ["region_code"] = "12.06", ["risk_class"] = "1", ["size"] = "small" };

        var outside = await register.RegisterEmployerAsync(fields, Banjarmasin);
        var inside = await register.RegisterEmployerAsync(new Dictionary<string, string?>(fields) { ["npp"] = "63710099", ["region_code"] = "63.71" }, Banjarmasin);
        var move = await register.RegisterEmployerAsync(new Dictionary<string, string?>(fields) { ["npp"] = "63710099", ["region_code"] = "12.06" }, Banjarmasin);
        var update = await Assert.ThrowsAsync<NotFoundException>(() =>
            register.RegisterEmployerAsync(new Dictionary<string, string?>(fields) { ["npp"] = "12060099" }, Banjarmasin, RegistrationMode.UpdateOnly));
        var duplicate = await Assert.ThrowsAsync<ConflictException>(() =>
            register.RegisterEmployerAsync(new Dictionary<string, string?>(fields) { ["npp"] = "63710099", ["region_code"] = "63.71" }, Banjarmasin, RegistrationMode.CreateOnly));

        Assert.Equal("region.out_of_scope", outside.Errors.Single().Code);
        Assert.Equal("created", inside.Outcome);
        Assert.Equal("region.out_of_scope", move.Errors.Single().Code);
        Assert.Contains("scope", update.Message, StringComparison.Ordinal);
        Assert.Equal("npp", duplicate.Field);
        await Assert.ThrowsAsync<ForbiddenException>(() => register.RegisterEmployerAsync(fields, Monitor));
    }

    [EngineTheory]
    public async Task An_import_by_an_officer_rejects_other_regions_rows_and_is_audited_per_batch(Engine engine)
    {
        await using var t = await TestDatabase.MigratedAsync(engine);
        await ImportFixture.Import(t, "employers", "employers.csv");
        var folder = Directory.CreateTempSubdirectory("kawal-scope-").FullName;
        var handler = new ImportParticipantsHandler(t.Database, new RegionLookup(t.Database), TimeProvider.System);

        var summary = await handler.HandleAsync(new ImportRequest(ImportFixture.File("participants-comma.csv"), Kalsel, folder));
        await using var c = await t.Database.OpenAsync();
        var codes = (await c.QueryAsync<string>("SELECT DISTINCT code FROM import_errors WHERE import_id = @ImportId", new { summary.ImportId })).ToList();
        var audit = (await c.QueryAsync<(string Action, string Actor)>("SELECT action, actor FROM audit_log ORDER BY seq")).ToList();

        Assert.Contains("region.out_of_scope", codes);
        Assert.True(summary.Created > 0);
        Assert.Contains(("import.batch", "user:prov.kalsel"), audit);
        Assert.Equal(("import.finish", "user:prov.kalsel"), audit[^1]);
        Assert.True((await new AuditVerifier(t.Database).VerifyAsync()).Ok);
        await Assert.ThrowsAsync<ForbiddenException>(() => handler.HandleAsync(new ImportRequest(ImportFixture.File("participants-comma.csv"), Monitor, folder)));
        Directory.Delete(folder, true);
    }

    [EngineTheory]
    public async Task A_registration_is_audited_with_before_and_after_in_its_transaction(Engine engine)
    {
        await using var t = await TestDatabase.MigratedAsync(engine);
        await ImportFixture.Import(t, "employers", "employers.csv");
        var register = new RegisterRecordsHandler(t.Database, new RegionLookup(t.Database), TimeProvider.System);
        var fields = new Dictionary<string, string?>
        {
            ["nik"] = "6371024107950007", ["name"] = "Dewi Lestari", ["segment"] = "PU", ["employer_npp"] = "63710001", ["category"] = "non_asn", ["wage"] = "2700000", ["start_date"] = "2025-01-01",
        };

        await register.RegisterParticipantAsync(fields, Banjarmasin);
        await register.RegisterParticipantAsync(new Dictionary<string, string?>(fields) { ["wage"] = "2900000" }, Banjarmasin);
        await register.RegisterParticipantAsync(new Dictionary<string, string?>(fields) { ["wage"] = "2900000" }, Banjarmasin);
        await using var c = await t.Database.OpenAsync();
        var entries = (await c.QueryAsync<(string Action, string? Before, string? After)>(
            "SELECT action, before_json, after_json FROM audit_log WHERE entity_type = 'participant' ORDER BY seq")).ToList();

        Assert.Equal(["participant.create", "participant.update"], entries.Select(e => e.Action));
        Assert.Null(entries[0].Before);
        Assert.Contains("\"wage\":2700000", entries[1].Before, StringComparison.Ordinal);
        Assert.Contains("\"wage\":2900000", entries[1].After, StringComparison.Ordinal);
        Assert.Contains("6371************", entries[1].After, StringComparison.Ordinal);
        Assert.DoesNotContain("6371024107950007", entries[1].After, StringComparison.Ordinal);
    }
}
