using Dapper;
using Kawal.Data;
using Kawal.Registry.Domain;
using Kawal.Registry.Import;
using Kawal.Testing;
using static Kawal.Tests.Registry.ImportFixture;

namespace Kawal.Tests.Registry;

public class ImportTests
{
    private static async Task<TestDatabase> WithEmployers(Engine engine)
    {
        var t = await TestDatabase.MigratedAsync(engine);
        var employers = await Import(t, "employers", "employers.csv");
        Assert.Equal((4, 4, 0), (employers.Rows, employers.Created, employers.Rejected));
        return t;
    }

    [EngineTheory]
    public async Task Employers_are_created_then_unchanged_then_updated(Engine engine)
    {
        await using var t = await TestDatabase.MigratedAsync(engine);
        var first = await Import(t, "employers", "employers.csv");
        var again = await Import(t, "employers", "employers.csv");
        var changed = Path.Combine(Path.GetTempPath(), $"employers-{Guid.NewGuid():N}.csv");
        await System.IO.File.WriteAllTextAsync(changed, (await System.IO.File.ReadAllTextAsync(File("employers.csv"))).Replace("PT Karet Tanah Laut,private,63.01,3,large", "PT Karet Tanah Laut,private,63.01,4,large", StringComparison.Ordinal));
        var update = await Import(t, "employers", changed);

        Assert.Equal(4, first.Created);
        Assert.Equal((0, 0, 4), (again.Created, again.Updated, again.Unchanged));
        Assert.Equal((0, 1, 3), (update.Created, update.Updated, update.Unchanged));
        Assert.Equal(4, await Count(t, "SELECT risk_class FROM employers WHERE npp = '63010002'"));
    }

    [EngineTheory]
    public async Task A_NIB_belongs_to_one_employer_in_file_order(Engine engine)
    {
        await using var t = await WithEmployers(engine); // 63010002 holds NIB 1234567890123
        var file = Path.Combine(Path.GetTempPath(), $"employers-nib-{Guid.NewGuid():N}.csv");
        await System.IO.File.WriteAllTextAsync(file,
            """
            npp,nib,name,kind,region_code,risk_class,size
            63710005,1234567890123,PT Mengaku NIB Orang,private,63.71,2,small
            63710006,9999999999991,PT Baru Satu,private,63.71,2,small
            63710007,9999999999991,PT Baru Dua,private,63.71,2,small
            63010002,5555555555555,PT Karet Tanah Laut,private,63.01,3,large
            63710008,1234567890123,PT Penerus NIB,private,63.71,2,small

            """);

        var summary = await Import(t, "employers", file);

        // Row 2 takes a NIB another employer holds; row 4 one that row 3 took; row 5 (an update) releases 1234567890123,
        // which row 6 then takes — as if the rows were written one by one.
        Assert.Equal((5, 2, 1, 2), (summary.Rows, summary.Created, summary.Updated, summary.Rejected));
        var report = await System.IO.File.ReadAllTextAsync(summary.ErrorReport!);
        Assert.Contains("2,nib,nib.taken", report, StringComparison.Ordinal);
        Assert.Contains("4,nib,nib.taken", report, StringComparison.Ordinal);
        Assert.Equal(["63010002|5555555555555", "63710006|9999999999991", "63710008|1234567890123"],
            await Query<string>(t, "SELECT npp || '|' || nib FROM employers WHERE nib IS NOT NULL ORDER BY npp"));
        // The file has no address or status column: the existing employer keeps its own.
        Assert.Equal(["Pelaihari|active"], await Query<string>(t, "SELECT address || '|' || status FROM employers WHERE npp = '63010002'"));
    }

    [EngineTheory]
    public async Task Participants_get_sex_birth_date_and_a_valid_unique_KPJ(Engine engine)
    {
        await using var t = await WithEmployers(engine);

        var summary = await Import(t, "participants", "participants-comma.csv");

        Assert.Equal((5, 5, 0, 5), (summary.Rows, summary.Accepted, summary.Rejected, summary.Created));
        Assert.Null(summary.ErrorReport);
        var people = await Query<(string Nik, string Sex, string Kpj)>(t, "SELECT nik, sex, kpj FROM participants ORDER BY nik");
        Assert.Equal("F", people.Single(p => p.Nik == "6371025503900002").Sex);
        Assert.Equal("M", people.Single(p => p.Nik == "6371021708850001").Sex);
        Assert.All(people, p => Assert.True(Kpj.IsValid(p.Kpj), p.Kpj));
        Assert.Equal(people.Count, people.Select(p => p.Kpj).Distinct().Count());
        Assert.Equal(1, await Count(t, "SELECT count(*) FROM participants WHERE nik = '6371034107950004' AND birth_date = @d", new { d = new DateOnly(1995, 7, 1) }));
        var siti = (await State(t)).Single(s => s.StartsWith("6371025503900002", StringComparison.Ordinal));
        Assert.Equal("6371025503900002|Siti Aminah|F|BPU|-|vulnerable|apbd|63.71|JKK,JKM|1000000|63.71", siti);
    }

    [EngineTheory]
    public async Task Semicolons_BOM_CRLF_and_Indonesian_headers_read_the_same(Engine engine)
    {
        await using var comma = await WithEmployers(engine);
        await using var semicolon = await WithEmployers(engine);

        await Import(comma, "participants", "participants-comma.csv");
        var s = await Import(semicolon, "participants", "participants-semicolon-bom.csv");
        var alias = await Import(semicolon, "participants", "participants-indonesian-headers.csv");

        Assert.Equal(5, s.Created);
        Assert.Equal(await State(comma), await State(semicolon));
        Assert.Equal((1, 0), (alias.Unchanged, alias.Rejected));
    }

    [EngineTheory]
    public async Task Xlsx_with_Excel_dates_numbers_and_a_NIK_typed_as_a_number(Engine engine)
    {
        await using var t = await WithEmployers(engine);

        var summary = await Import(t, "participants", "participants.xlsx");

        Assert.Equal((4, 3, 1), (summary.Rows, summary.Accepted, summary.Rejected));
        var report = await System.IO.File.ReadAllTextAsync(summary.ErrorReport!);
        Assert.Contains("4,nik,nik.excel_number", report, StringComparison.Ordinal);
        Assert.Equal(1, await Count(t, "SELECT count(*) FROM memberships WHERE valid_from = @d AND wage = 7500000", new { d = new DateOnly(2023, 6, 1) }));
        Assert.Equal(1, await Count(t, "SELECT count(*) FROM memberships WHERE valid_from = @d AND wage = 1000000", new { d = new DateOnly(2024, 2, 1) }));
    }

    [EngineTheory]
    public async Task Every_rejection_reason_has_its_row_column_code_and_two_languages(Engine engine)
    {
        await using var t = await WithEmployers(engine);

        var summary = await Import(t, "participants", "participants-rejections.csv");

        string[] expected =
        [
            "nik.format", "nik.region", "nik.birth_date", "nik.serial", "nik.unknown_region", "birth_date.mismatch", "sex.mismatch", "required",
            "segment.unknown", "employer.required", "payer.needs_employer", "employer.not_allowed", "category.unknown", "occupation.required",
            "occupation.unknown", "payer.format", "payer.region_unknown", "programmes.unknown", "programmes.not_allowed", "date.format",
            "date.future", "wage.required", "wage.format", "wage.below_minimum", "employer.unknown", "category.needs_government_employer",
            "duplicate_in_file", "phone.format", "sex.unknown", "name.too_long",
        ];
        var errors = await Query<(int Row, string Column, string Code, string MessageId, string MessageEn)>(t,
            "SELECT row_number, column_name, code, message_id, message_en FROM import_errors WHERE import_id = @id ORDER BY row_number, id", new { id = summary.ImportId });
        Assert.Equal(expected.Order(), errors.Select(e => e.Code).Distinct().Order());
        Assert.All(errors, e => Assert.True(e.MessageId.Length > 0 && e.MessageEn.Length > 0 && e.Column.Length > 0));
        Assert.Contains(errors, e => e is { Row: 28, Code: "duplicate_in_file" });
        Assert.Equal((33, 30, 3), (summary.Rows, summary.Rejected, summary.Created));
    }

    [EngineTheory]
    public async Task Formula_and_script_text_is_stored_literally_and_neutralised_in_the_report(Engine engine)
    {
        await using var t = await WithEmployers(engine);

        var summary = await Import(t, "participants", "participants-rejections.csv");

        Assert.Equal(1, await Count(t, "SELECT count(*) FROM participants WHERE name = @n", new { n = "=HYPERLINK(\"http://x\";\"klik\")" }));
        Assert.Equal(1, await Count(t, "SELECT count(*) FROM participants WHERE name = '<script>alert(1)</script>'"));
        var report = await System.IO.File.ReadAllTextAsync(summary.ErrorReport!);
        Assert.Contains("\"'=cmd|' /C calc'!A0\"", report, StringComparison.Ordinal);
        Assert.DoesNotContain(",=cmd", report, StringComparison.Ordinal);
    }

    [EngineTheory]
    public async Task Importing_the_same_file_again_creates_nothing(Engine engine)
    {
        await using var t = await WithEmployers(engine);
        var first = await Import(t, "participants", "participants-comma.csv");
        var before = await State(t);

        var again = await Import(t, "participants", "participants-comma.csv");

        Assert.Equal((0, 0, 5), (again.Created, again.Updated, again.Unchanged));
        Assert.Equal(before, await State(t));
        Assert.Equal(0, await Count(t, "SELECT count(*) FROM membership_history")); // history holds changes; creation is on the membership
        Assert.Equal(5, await Count(t, $"SELECT count(*) FROM memberships WHERE created_by = 'cli:officer' AND import_id = {first.ImportId}"));
    }

    [EngineTheory]
    public async Task A_database_from_before_registry_0005_moves_each_created_history_row_onto_its_membership(Engine engine)
    {
        await using var t = await WithEmployers(engine);
        await Import(t, "participants", "participants-comma.csv");
        await using (var c = await t.Database.OpenAsync())
        {
            // As registry 0001-0004 left it: creator and import in a 'created' history row, none on the membership.
            await c.ExecuteAsync("UPDATE memberships SET created_by = NULL, import_id = NULL");
            await c.ExecuteAsync(
                "INSERT INTO membership_history (membership_id, changed_at, changed_by, change, new_wage, import_id) SELECT id, created_at, 'old:officer', 'created', wage, 7 FROM memberships");
            // Nor had it the registry migrations after 0006.
            await c.ExecuteAsync("DROP TABLE import_staging_parts");
            await c.ExecuteAsync("DROP TABLE import_staging");
            await c.ExecuteAsync("DELETE FROM schema_migrations WHERE module = 'registry' AND version >= 6");
        }

        var report = await new MigrationRunner(t.Database, Modules.Data, TimeProvider.System).MigrateAsync();

        Assert.Equal(["registry/0006_membership_created_backfill", "registry/0007_import_staging"], report.Applied);
        Assert.Equal(5, await Count(t, "SELECT count(*) FROM memberships WHERE created_by = 'old:officer' AND import_id = 7"));
        Assert.Equal(0, await Count(t, "SELECT count(*) FROM membership_history"));
    }

    [EngineTheory]
    public async Task A_changed_wage_updates_the_membership_and_keeps_history(Engine engine)
    {
        await using var t = await WithEmployers(engine);
        await Import(t, "participants", "participants-comma.csv");
        var summary = await ImportTextAsync(t, "nik,name,segment,employer_npp,category,wage,programmes,start_date\n6371021708850001,Budi Santoso,PU,63710001,non_asn,3.100.000,\"JKK,JKM,JHT,JP,JKP\",2024-01-01\n");

        Assert.Equal((0, 1, 0), (summary.Created, summary.Updated, summary.Unchanged));
        var history = await Query<(string Change, long OldWage, long NewWage, string ChangedBy)>(t,
            "SELECT change, old_wage, new_wage, changed_by FROM membership_history WHERE change = 'wage'");
        Assert.Equal(("wage", 2_500_000L, 3_100_000L, "cli:officer"), Assert.Single(history));
        Assert.Equal(1, await Count(t, "SELECT count(*) FROM memberships WHERE wage = 3100000"));
    }

    /// <summary>Imports participants from CSV text (written to a temporary file).</summary>
    private static async Task<ImportSummary> ImportTextAsync(TestDatabase t, string csv)
    {
        var file = Path.Combine(Path.GetTempPath(), $"participants-{Guid.NewGuid():N}.csv");
        await System.IO.File.WriteAllTextAsync(file, csv);
        return await Import(t, "participants", file);
    }

    [EngineTheory]
    public async Task A_person_renamed_by_an_import_is_audited_with_old_and_new_values(Engine engine)
    {
        await using var t = await WithEmployers(engine);
        await Import(t, "participants", "participants-comma.csv");

        await ImportTextAsync(t, "nik,name,phone,segment,employer_npp,category,wage,programmes,start_date\n6371021708850001,Budi Santosa,081234567890,PU,63710001,non_asn,2.500.000,\"JKK,JKM,JHT,JP,JKP\",2024-01-01\n");

        var entry = Assert.Single(await Query<(string Actor, string EntityType, string Before, string After)>(t,
            "SELECT actor, entity_type, before_json, after_json FROM audit_log WHERE action = 'participant.update'"));
        Assert.Equal(("cli:officer", "participant"), (entry.Actor, entry.EntityType));
        Assert.Equal("""{"nik":"6371************","name":"Budi Santoso","phone":null}""", entry.Before);
        Assert.Equal("""{"nik":"6371************","name":"Budi Santosa","phone":"081234567890"}""", entry.After);
        Assert.True((await new Kawal.Identity.AuditVerifier(t.Database).VerifyAsync()).Ok);
    }

    [EngineTheory]
    public async Task Dry_run_saves_nothing_and_all_or_nothing_saves_nothing_when_a_row_fails(Engine engine)
    {
        await using var t = await WithEmployers(engine);

        var dry = await Import(t, "participants", "participants-comma.csv", dryRun: true);
        var atomic = await Import(t, "participants", "participants-rejections.csv", allOrNothing: true);
        var atomicGood = await Import(t, "participants", "participants-comma.csv", allOrNothing: true);

        Assert.Equal((5, 5, "completed"), (dry.Rows, dry.Created, dry.Status));
        Assert.Equal(("rolled_back", 30), (atomic.Status, atomic.Rejected));
        Assert.Equal(("completed", 5), (atomicGood.Status, atomicGood.Created));
        Assert.Equal(5, await Count(t, "SELECT count(*) FROM participants"));
        Assert.Equal(4, await Count(t, "SELECT count(*) FROM imports WHERE kind = 'participants' OR kind = 'employers'"));
        Assert.Equal(31, await Count(t, "SELECT count(*) FROM import_errors WHERE import_id = @id", new { id = atomic.ImportId })); // row 11 has two errors
    }

    [Theory]
    [InlineData("empty.csv", "file.empty")]
    [InlineData("binary.csv", "file.binary")]
    [InlineData("participants-windows1252.csv", "file.encoding")]
    [InlineData("missing-columns.csv", "file.columns")]
    [InlineData("no-such-file.csv", "file.missing")]
    public async Task A_file_that_cannot_be_read_is_refused_whole(string file, string code)
    {
        await using var t = await WithEmployers(Engine.Sqlite);

        var e = await Assert.ThrowsAsync<ImportFileException>(() => Import(t, "participants", file));

        Assert.Equal(code, e.Code);
        Assert.False(string.IsNullOrEmpty(e.Indonesian));
        Assert.Equal(0, await Count(t, "SELECT count(*) FROM participants"));
        // Refused, and recorded as such with why (a file that is not there leaves nothing to record).
        var recorded = await Query<(string Status, string Code)>(t,
            "SELECT i.status, e.code FROM imports i JOIN import_errors e ON e.import_id = i.id WHERE i.kind = 'participants'");
        Assert.Equal(code == "file.missing" ? [] : [("failed", code)], recorded);
        Assert.Equal(code != "file.missing", e.ImportId is not null);
    }

    [Fact]
    public async Task A_header_only_file_imports_nothing_and_says_so()
    {
        await using var t = await WithEmployers(Engine.Sqlite);

        var summary = await Import(t, "participants", "header-only.csv");

        Assert.Equal((0, 0, "completed"), (summary.Rows, summary.Rejected, summary.Status));
    }

    [Fact]
    public void Windows_1252_is_named_with_its_line()
    {
        var e = Assert.Throws<ImportFileException>(() => TabularFile.Open(File("participants-windows1252.csv")));
        Assert.Contains("line 2", e.Message, StringComparison.Ordinal);
        Assert.Contains("CSV UTF-8", e.Message, StringComparison.Ordinal);
    }
}
