using Dapper;
using Kawal.Contributions.Features;
using Kawal.Data;
using Kawal.Identity;
using Kawal.Testing;
using static Kawal.Tests.Contributions.LedgerFixture;
using static Kawal.Tests.Registry.ImportFixture;

namespace Kawal.Tests.Contributions;

public class BillingTests
{
    [EngineTheory]
    public async Task The_billed_totals_equal_an_independent_sum_of_the_rules_engine(Engine engine)
    {
        await using var t = await PopulatedAsync(engine, 700);
        var expected = await ExpectedAsync(t, October);

        var s = await Bill(t, October, batch: 97);

        Assert.Equal(expected.Memberships, s.Memberships);
        Assert.Equal((expected.Employer, expected.Worker, expected.Government), (s.EmployerTotal, s.WorkerTotal, s.GovernmentTotal));
        Assert.Equal(expected.Employer + expected.Worker, s.Total);
        Assert.Equal(s.Memberships, s.Lines);
        Assert.Equal(s.Lines, s.Created);
        Assert.True(s.Skipped > 0, "PMI memberships are not billed monthly");
        Assert.True(s.Total > 0 && s.GovernmentTotal > 0);
        // One bill per payer and group, each the sum of its lines.
        Assert.Equal(0, await Count(t, "SELECT count(*) FROM bills b WHERE amount <> (SELECT SUM(amount) FROM bill_lines l WHERE l.bill_id = b.id)"));
        Assert.Equal(await Count(t, "SELECT count(*) FROM (SELECT DISTINCT b.payer_id, b.bill_group FROM bills b) x"), s.Bills);
        Assert.Equal(0, await Count(t, "SELECT count(*) FROM (SELECT membership_id FROM bill_lines GROUP BY membership_id HAVING count(*) > 1) x"));
        // The budget of Kota Banjarmasin is one payer; its BPU bill is due on the 15th of the month itself.
        Assert.Equal("2026-10-15", (await Query<DateOnly>(t, "SELECT b.due_date FROM bills b JOIN payers p ON p.id = b.payer_id WHERE p.payer_key = 'apbd:63.71'")).Single().ToIso());
        Assert.Equal("2026-11-16", (await Query<DateOnly>(t, "SELECT b.due_date FROM bills b JOIN payers p ON p.id = b.payer_id WHERE p.payer_key = 'employer:63710001'")).Single().ToIso());
        // Each line names the parameter values that produced it.
        Assert.Equal(0, await Count(t, "SELECT count(*) FROM bill_lines l LEFT JOIN rate_sets r ON r.id = l.rate_set_id WHERE r.id IS NULL OR r.segment <> l.segment"));
        // A self-paid membership is billed to its participant by KPJ, an employer's to the employer by NPP.
        const string Lines = "FROM bill_lines l JOIN bills b ON b.id = l.bill_id JOIN payers p ON p.id = b.payer_id JOIN memberships m ON m.id = l.membership_id ";
        Assert.True(await Count(t, $"SELECT count(*) {Lines} WHERE m.payer_kind = 'self'") > 0);
        Assert.Equal(0, await Count(t, $"SELECT count(*) {Lines} JOIN participants pa ON pa.id = m.participant_id WHERE m.payer_kind = 'self' AND p.payer_key <> 'self:' || pa.kpj"));
        Assert.Equal(0, await Count(t, $"SELECT count(*) {Lines} JOIN employers e ON e.id = m.employer_id WHERE m.payer_kind = 'employer' AND p.payer_key <> 'employer:' || e.npp"));
    }

    [EngineTheory]
    public async Task Running_the_month_again_changes_nothing_and_later_changes_become_supplementary_lines(Engine engine)
    {
        await using var t = await PopulatedAsync(engine, 300);
        var first = await Bill(t, October);
        var state = await StateAsync(t);
        var billed = await StateAsync(t, paid: false);

        var again = await Bill(t, October);

        Assert.Equal((0, 0, first.Created), (again.Created, again.Supplementary, again.Unchanged));
        Assert.Equal(first with { RunId = again.RunId, Created = 0, Unchanged = again.Unchanged }, again with { Problems = first.Problems });
        Assert.Equal(state, await StateAsync(t));

        // A wage raised, a membership ended before October, a new worker: the next run bills only the differences.
        await using (var c = await t.Database.OpenAsync())
        {
            await Dapper.SqlMapper.ExecuteAsync(c, "UPDATE memberships SET wage = wage + 1000000 WHERE id = (SELECT MIN(id) FROM memberships WHERE segment = 'PU' AND valid_from = '2025-01-01')");
            await Dapper.SqlMapper.ExecuteAsync(c, "UPDATE memberships SET valid_to = '2026-09-30', status = 'ended' WHERE id = (SELECT MAX(id) FROM memberships WHERE segment = 'BPU' AND payer_kind = 'apbd' AND valid_to IS NULL)");
        }

        var file = Path.Combine(Path.GetTempPath(), $"kawal-new-{Guid.NewGuid():N}.csv");
        await System.IO.File.WriteAllTextAsync(file, "nik,name,segment,employer_npp,wage,start_date\n6371015505900001,Pekerja Baru,PU,63710001,4000000,2026-10-05\n");
        Assert.Equal(1, (await Import(t, "participants", file)).Created);
        var expected = await ExpectedAsync(t, October);

        var third = await Bill(t, October);

        Assert.Equal((1, 2), (third.Created, third.Supplementary));
        Assert.Equal((expected.Employer, expected.Worker, expected.Government), (third.EmployerTotal, third.WorkerTotal, third.GovernmentTotal));
        Assert.Equal(first.Memberships, third.Memberships); // one more, one fewer
        Assert.Equal(2, await Count(t, "SELECT count(*) FROM bills b JOIN payers p ON p.id = b.payer_id WHERE p.payer_key = 'employer:63710001'"));
        Assert.Equal(1, await Count(t, "SELECT count(*) FROM bills WHERE amount < 0")); // the budget's credit note
        Assert.Equal(billed, (await StateAsync(t, paid: false)).Where(billed.Contains).ToList()); // nothing already billed changed
        // The credit note was applied to the budget's open October bill.
        Assert.Equal(await Count(t, "SELECT -amount FROM bills WHERE amount < 0"),
            await Count(t, "SELECT b.paid FROM bills b JOIN payers p ON p.id = b.payer_id WHERE p.payer_key = 'apbd:63.71' AND b.sequence = 1"));
    }

    [EngineTheory]
    public async Task A_region_run_bills_only_that_region_and_a_period_not_yet_begun_is_refused(Engine engine)
    {
        await using var t = await PopulatedAsync(engine, 200);

        var tanahLaut = await Bill(t, October, "63.01");

        Assert.True(tanahLaut.Lines > 0);
        Assert.Equal(0, await Count(t, "SELECT count(*) FROM bill_lines WHERE region_code NOT LIKE '63.01%'"));
        var e = await Assert.ThrowsAsync<UsageException>(() => Bill(t, new Period(2026, 12)));
        Assert.Equal("period", e.Field);
        await Assert.ThrowsAsync<ForbiddenException>(() => Runner(t).RunAsync(new BillingRequest(October, null,
            new Caller("x", Role.RegencyOfficer, RegionScope.Of(RegionCode.Parse("63.71")), Permissions.Of(Role.RegencyOfficer))), null, CancellationToken.None));
    }

    /// <summary>
    /// Batches are read and priced ahead of the writer, on another connection: a failure there (here a membership whose
    /// programme list the rules cannot read, id 250 of 400) stops the run with that failure after the batches before it
    /// were committed, and the run, resumed once the membership is mended, ends as one uninterrupted run.
    /// </summary>
    [EngineTheory]
    public async Task A_failure_while_reading_ahead_stops_the_run_with_it_and_the_run_resumes(Engine engine)
    {
        await using var t = await PopulatedAsync(engine, 400);
        await using var clean = await PopulatedAsync(engine, 400);
        var bad = (await Query<long>(t, "SELECT MIN(id) FROM memberships WHERE id >= 250 AND valid_from <= '2026-10-31' AND (valid_to IS NULL OR valid_to > '2026-10-01')")).Single();
        var original = (await Query<string>(t, "SELECT programmes FROM memberships WHERE id = @bad", new { bad })).Single();
        await Execute(t, "UPDATE memberships SET programmes = 'JKK,XYZ' WHERE id = @bad", new { bad });

        var e = await Assert.ThrowsAsync<UsageException>(() => Bill(t, October, batch: 40));
        Assert.Contains("XYZ", e.Message, StringComparison.Ordinal);
        var cursor = (await Query<long>(t, "SELECT cursor_id FROM billing_runs WHERE status = 'running'")).Single();
        Assert.InRange(cursor, bad - 40, bad - 1); // the batches before the bad one, whole
        Assert.Equal(0, (await Query<long>(t, "SELECT COUNT(*) FROM bill_lines WHERE membership_id > @cursor", new { cursor })).Single());

        await Execute(t, "UPDATE memberships SET programmes = @original WHERE id = @bad", new { original, bad });
        var resumed = await Bill(t, October, batch: 40);
        var whole = await Bill(clean, October, batch: 40);
        Assert.True(resumed.Resumed);
        Assert.Equal(await StateAsync(clean), await StateAsync(t));
        Assert.Equal(whole.Total, resumed.Total);
    }

    /// <summary>
    /// A run counts the memberships it leaves billed as it commits each batch (contributions/0003); a run begun before that
    /// column existed has no count (NULL) and, resumed, takes it from its lines: the summary is the same either way.
    /// </summary>
    [EngineTheory]
    public async Task A_run_begun_before_runs_kept_their_count_resumes_with_the_count_taken_from_its_lines(Engine engine)
    {
        await using var t = await PopulatedAsync(engine, 300);
        var bad = (await Query<long>(t, "SELECT MIN(id) FROM memberships WHERE id >= 150 AND valid_from <= '2026-10-31' AND (valid_to IS NULL OR valid_to > '2026-10-01')")).Single();
        var original = (await Query<string>(t, "SELECT programmes FROM memberships WHERE id = @bad", new { bad })).Single();
        await Execute(t, "UPDATE memberships SET programmes = 'JKK,XYZ' WHERE id = @bad", new { bad });
        await Assert.ThrowsAsync<UsageException>(() => Bill(t, October, batch: 40));
        Assert.True((await Query<long>(t, "SELECT memberships_billed FROM billing_runs WHERE status = 'running'")).Single() > 0);
        await Execute(t, "UPDATE billing_runs SET memberships_billed = NULL WHERE status = 'running'");
        await Execute(t, "UPDATE memberships SET programmes = @original WHERE id = @bad", new { original, bad });

        var resumed = await Bill(t, October, batch: 40); // Bill compares the summary with the lines

        Assert.True(resumed.Resumed);
        Assert.Equal(resumed.Lines, resumed.Memberships);
        Assert.Null((await Query<long?>(t, "SELECT memberships_billed FROM billing_runs")).Single());
    }

    private static async Task Execute(TestDatabase t, string sql, object? args = null)
    {
        await using var c = await t.Database.OpenAsync();
        await c.ExecuteAsync(sql, args);
    }

    /// <summary>
    /// PostgreSQL is compared with SQLite; SQLite with itself at another batch size (batches must not matter), and with
    /// the run forgetting the payer and bill ids it remembers after every few (forgetting must not matter either).
    /// </summary>
    [EngineTheory]
    public async Task Both_engines_and_any_batch_size_bill_identically(Engine engine)
    {
        await using var sqlite = await PopulatedAsync(Engine.Sqlite, 400);
        await using var other = await PopulatedAsync(engine, 400);
        var a = await Bill(sqlite, October, batch: 150);
        var b = await Bill(other, October, batch: engine == Engine.Sqlite ? 7 : 150, remember: engine == Engine.Sqlite ? 3 : 50_000);

        Assert.Equal(a with { RunId = 0 }, b with { RunId = 0, Problems = a.Problems });
        Assert.Equal(await StateAsync(sqlite), await StateAsync(other));
    }

    /// <summary>
    /// A national run walks the membership ids in windows of the batch size: a gap in the ids (ids drawn by an import that
    /// was rolled back) is passed over at once, not window by window, and memberships beyond it are billed.
    /// </summary>
    [EngineTheory]
    public async Task A_national_run_passes_over_a_gap_in_the_membership_ids(Engine engine)
    {
        await using var t = await PopulatedAsync(engine, 120);
        const string Copy = """
            INSERT INTO memberships (id, participant_id, employer_id, segment, category, occupation, payer_kind, payer_ref, programmes, wage, valid_from, valid_to,
                                     status, region_code, is_demo, created_at, updated_at)
            SELECT @id, participant_id, employer_id, segment, category, occupation, payer_kind, payer_ref, programmes, wage, valid_from, valid_to,
                   status, region_code, is_demo, created_at, updated_at
            FROM memberships WHERE id = (SELECT MIN(id) FROM memberships WHERE segment = 'PU' AND status = 'active' AND valid_to IS NULL AND valid_from <= '2026-10-01')
            """;
        await Execute(t, Copy, new { id = 1_000_000_000L });
        await Execute(t, Copy, new { id = 4_000_000_000L });
        var expected = await ExpectedAsync(t, October);
        var runner = Runner(t);
        runner.BatchSize = 40;

        // Window by window, 100 million windows: the run would not end in a minute.
        using var minute = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var s = await runner.RunAsync(new BillingRequest(October, null, Caller.Operator("billing")), null, minute.Token);

        Assert.Equal(expected.Memberships, s.Memberships);
        Assert.Equal((expected.Employer, expected.Worker, expected.Government), (s.EmployerTotal, s.WorkerTotal, s.GovernmentTotal));
        Assert.Equal(2, await Count(t, "SELECT count(*) FROM bill_lines WHERE membership_id IN (1000000000, 4000000000)"));
        Assert.Equal(await CountedFromLinesAsync(t, October, null), (s.Memberships, s.Bills, s.Lines, s.EmployerTotal, s.WorkerTotal, s.GovernmentTotal));
    }
}
