using Kawal.Identity;
using Kawal.Data;
using Kawal.Registry.Features;
using Kawal.Regions;
using Kawal.Testing;
using static Kawal.Tests.Registry.ImportFixture;

namespace Kawal.Tests.Registry;

public class RecordsAndSearchTests
{
    private static readonly Caller Admin = Caller.Operator("test");

    private static RegisterRecordsHandler Register(TestDatabase t) => new(t.Database, new RegionLookup(t.Database), Today);

    private static async Task<TestDatabase> Populated(Engine engine)
    {
        var t = await TestDatabase.MigratedAsync(engine);
        await Import(t, "employers", "employers.csv");
        await Import(t, "participants", "participants-comma.csv");
        return t;
    }

    [EngineTheory]
    public async Task An_officer_registers_an_employer_with_the_import_rules(Engine engine)
    {
        await using var t = await TestDatabase.MigratedAsync(engine);
        var fields = new Dictionary<string, string?>
        {
            ["npp"] = "63720001", ["name"] = "Dinas Kesehatan Kota Banjarbaru", ["kind"] = "regional_gov", ["region_code"] = "63.72", ["risk_class"] = "1", ["size"] = "medium",
        };

        var created = await Register(t).RegisterEmployerAsync(fields, Caller.Operator("officer:a"));
        var same = await Register(t).RegisterEmployerAsync(fields, Caller.Operator("officer:a"));
        var moved = await Register(t).RegisterEmployerAsync(new Dictionary<string, string?>(fields) { ["risk_class"] = "2" }, Caller.Operator("officer:a"));
        var bad = await Register(t).RegisterEmployerAsync(new Dictionary<string, string?>(fields) { ["kind"] = "ngo", ["region_code"] = "99.99" }, Caller.Operator("officer:a"));

        Assert.Equal(("created", "unchanged", "updated"), (created.Outcome, same.Outcome, moved.Outcome));
        Assert.Equal(["kind.unknown", "region.unknown"], bad.Errors.Select(e => e.Code).Order());
        Assert.Equal(["kind", "region_code"], bad.Errors.Select(e => e.Column!).Order());
        Assert.Equal(2, (await new RegistryQueries(t.Database).GetEmployerAsync("63720001", Admin))!.RiskClass);
    }

    [EngineTheory]
    public async Task An_officer_registers_a_participant_and_a_wage_change_keeps_history(Engine engine)
    {
        await using var t = await TestDatabase.MigratedAsync(engine);
        await Import(t, "employers", "employers.csv");
        var fields = new Dictionary<string, string?>
        {
            ["nik"] = "6371024107950007", ["name"] = "Dewi Lestari", ["segment"] = "PU", ["employer_npp"] = "63710001",
            ["category"] = "non_asn", ["wage"] = "2.700.000", ["start_date"] = "2025-01-01",
        };

        var created = await Register(t).RegisterParticipantAsync(fields, Caller.Operator("officer:b"));
        var raised = await Register(t).RegisterParticipantAsync(new Dictionary<string, string?>(fields) { ["wage"] = "2.900.000" }, Caller.Operator("officer:b"));
        var byNik = await new RegistryQueries(t.Database).GetParticipantAsync("6371024107950007", Admin);
        var byKpj = await new RegistryQueries(t.Database).GetParticipantAsync(byNik!.Kpj, Admin);

        Assert.Equal(("created", "updated"), (created.Outcome, raised.Outcome));
        Assert.Equal(("F", "1995-07-01"), (byNik.Sex, byNik.BirthDate));
        Assert.Equal(byNik.Nik, byKpj!.Nik);
        var m = Assert.Single(byNik.Memberships);
        Assert.Equal(("63710001", 2_900_000L, "employer", "JKK,JKM,JHT,JP,JKP"), (m.EmployerNpp, m.Wage, m.Payer, m.Programmes));
        Assert.Equal(["created", "wage"], m.History.Select(h => h.Change));
        Assert.Equal((2_700_000L, "PU JKK,JKM,JHT,JP,JKP employer", "cli:officer:b"), (m.History[0].NewWage!.Value, m.History[0].NewValue!, m.History[0].ChangedBy)); // as created, before the raise
        Assert.Equal((2_700_000L, 2_900_000L, "cli:officer:b"), (m.History[1].OldWage!.Value, m.History[1].NewWage!.Value, m.History[1].ChangedBy));
        Assert.Equal(0, await Count(t, "SELECT count(*) FROM imports WHERE kind = 'participants'"));
    }

    [Fact]
    public async Task Unknown_and_missing_fields_are_named()
    {
        await using var t = await TestDatabase.MigratedAsync(Engine.Sqlite);

        var unknown = await Assert.ThrowsAsync<UsageException>(() => Register(t).RegisterParticipantAsync(new Dictionary<string, string?> { ["nik"] = "1", ["gaji_pokok"] = "1" }, Caller.Operator("x")));
        var missing = await Assert.ThrowsAsync<UsageException>(() => Register(t).RegisterParticipantAsync(new Dictionary<string, string?> { ["nik"] = "6371024107950007", ["name"] = "X", ["segment"] = "PU" }, Caller.Operator("x")));

        Assert.Equal("gaji_pokok", unknown.Field);
        Assert.Equal("start_date", missing.Field);
    }

    [EngineTheory]
    public async Task Participants_are_found_by_name_NIK_employer_region_segment_and_category(Engine engine)
    {
        await using var t = await Populated(engine);
        var q = new RegistryQueries(t.Database);

        Assert.Equal(["Siti Aminah"], (await q.SearchParticipantsAsync(new(Name: "siti"), Admin)).Items.Select(p => p.Name));
        Assert.Equal(3, (await q.SearchParticipantsAsync(new(NikPrefix: "6371"), Admin)).Total);
        Assert.Equal(["Budi Santoso"], (await q.SearchParticipantsAsync(new(EmployerNpp: "63710001"), Admin)).Items.Select(p => p.Name));
        Assert.Equal(4, (await q.SearchParticipantsAsync(new(RegionCode: "63"), Admin)).Total);
        Assert.Equal(["Pardamean Ginting"], (await q.SearchParticipantsAsync(new(RegionCode: "12.06"), Admin)).Items.Select(p => p.Name));
        Assert.Equal(2, (await q.SearchParticipantsAsync(new(Segment: "BPU"), Admin)).Total);
        Assert.Equal(["Siti Aminah"], (await q.SearchParticipantsAsync(new(Category: "vulnerable", RegionCode: "63"), Admin)).Items.Select(p => p.Name));
        var page = await q.SearchParticipantsAsync(new(PageSize: 2, Page: 2), Admin);
        Assert.Equal((5, 2, 2), (page.Total, page.Items.Count, page.PageNumber));
        Assert.Equal("pageSize", (await Assert.ThrowsAsync<UsageException>(() => q.SearchParticipantsAsync(new(PageSize: 500), Admin))).Field);
    }

    [EngineTheory]
    public async Task Employers_are_found_and_show_their_active_workers(Engine engine)
    {
        await using var t = await Populated(engine);
        var q = new RegistryQueries(t.Database);

        Assert.Equal(3, (await q.SearchEmployersAsync(new(RegionCode: "63"), Admin)).Total);
        Assert.Equal(2, (await q.SearchEmployersAsync(new(Kind: "regional_gov"), Admin)).Total);
        Assert.Equal(["PT Karet Tanah Laut"], (await q.SearchEmployersAsync(new(Name: "KARET"), Admin)).Items.Select(e => e.Name));
        Assert.Equal(1, (await q.GetEmployerAsync("63010002", Admin))!.ActiveMemberships);
        Assert.Null(await q.GetEmployerAsync("00000000", Admin));
        Assert.Null(await q.GetParticipantAsync("0000000000000000", Admin));
    }

    [EngineTheory]
    public async Task Ending_a_membership_keeps_history_and_a_later_rehire_is_a_new_membership(Engine engine)
    {
        await using var t = await TestDatabase.MigratedAsync(engine);
        await Import(t, "employers", "employers.csv");
        var fields = new Dictionary<string, string?>
        {
            ["nik"] = "6301011201800003", ["name"] = "Ahmad Fauzi", ["segment"] = "PU", ["employer_npp"] = "63010002", ["wage"] = "7500000", ["start_date"] = "2023-06-01",
        };

        await Register(t).RegisterParticipantAsync(fields, Caller.Operator("officer:c"));
        var ended = await Register(t).RegisterParticipantAsync(new Dictionary<string, string?>(fields) { ["end_date"] = "2025-03-01" }, Caller.Operator("officer:c"));
        var backwards = await Register(t).RegisterParticipantAsync(new Dictionary<string, string?>(fields) { ["end_date"] = "2023-05-01" }, Caller.Operator("officer:c"));
        var rehired = await Register(t).RegisterParticipantAsync(new Dictionary<string, string?>(fields) { ["start_date"] = "2025-09-01" }, Caller.Operator("officer:c"));
        var p = await new RegistryQueries(t.Database).GetParticipantAsync("6301011201800003", Admin);

        Assert.Equal(("updated", "created"), (ended.Outcome, rehired.Outcome));
        Assert.Equal("end_date.before_start", Assert.Single(backwards.Errors).Code);
        Assert.Equal(2, p!.Memberships.Count);
        Assert.Equal((new DateOnly(2025, 3, 1), "ended"), (p.Memberships[0].To!.Value, p.Memberships[0].Status));
        Assert.Equal(["created", "ended"], p.Memberships[0].History.Select(h => h.Change));
        Assert.Equal((null, "active"), (p.Memberships[1].To, p.Memberships[1].Status));
    }
}
