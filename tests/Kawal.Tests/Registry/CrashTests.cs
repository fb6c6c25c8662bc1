using System.Diagnostics;
using System.Globalization;
using System.Text;
using Kawal.Data;
using Kawal.Registry.Import;
using Kawal.Testing;
using static Kawal.Tests.Registry.ImportFixture;

namespace Kawal.Tests.Registry;

/// <summary>
/// A real <c>kawal import</c> process killed in the middle, then the import run again: the database must end exactly as
/// after one uninterrupted import — whole batches only in between, nothing duplicated after.
/// </summary>
public class CrashTests
{
    private const int Rows = 40_000;

    internal static string GenerateParticipants(int rows)
    {
        var path = Path.Combine(Path.GetTempPath(), $"kawal-big-{Guid.NewGuid():N}.csv");
        var sb = new StringBuilder("nik,name,segment,employer_npp,wage,programmes,start_date\n");
        for (var i = 0; i < rows; i++)
        {
            var district = 1 + (i / 9999);
            var serial = 1 + (i % 9999);
            var day = 1 + (i % 28);
            var month = 1 + (i % 12);
            var year = 70 + (i % 30);
            var female = i % 2 == 1;
            var nik = string.Create(CultureInfo.InvariantCulture, $"6371{district:D2}{(female ? day + 40 : day):D2}{month:D2}{year:D2}{serial:D4}");
            sb.Append(nik).Append(",Peserta ").Append(i).Append(",PU,").Append(i % 3 == 0 ? "63710001" : "63010002").Append(',')
              .Append(3_000_000 + (i % 50) * 100_000).Append(",\"JKK,JKM,JHT,JP\",2024-01-01\n");
        }

        System.IO.File.WriteAllText(path, sb.ToString());
        return path;
    }

    [EngineTheory]
    public async Task A_killed_import_run_again_ends_as_one_uninterrupted_import(Engine engine)
    {
        var file = GenerateParticipants(Rows);
        await using var reference = await TestDatabase.MigratedAsync(engine);
        await using var crashed = await TestDatabase.MigratedAsync(engine);
        await Import(reference, "employers", "employers.csv");
        await Import(crashed, "employers", "employers.csv");
        var complete = await Import(reference, "participants", file);
        Assert.Equal(Rows, complete.Created);

        using (var process = Start(crashed, file))
        {
            var watch = Stopwatch.StartNew();
            while (await Count(crashed, "SELECT count(*) FROM participants") < ImportRunner.BatchSize && !process.HasExited && watch.Elapsed < TimeSpan.FromSeconds(120))
            {
                await Task.Delay(20);
            }

            Assert.False(process.HasExited, "the import finished before it could be killed: use a larger file");
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        var participants = await Count(crashed, "SELECT count(*) FROM participants");
        var memberships = await Count(crashed, "SELECT count(*) FROM memberships");
        Assert.InRange(participants, ImportRunner.BatchSize, Rows - 1);
        Assert.Equal(participants, memberships);
        Assert.Equal(0, participants % ImportRunner.BatchSize); // whole batches only
        Assert.Equal(1, await Count(crashed, "SELECT count(*) FROM imports WHERE kind = 'participants' AND status = 'running'"));
        // the ledger says what happened: its process died, its whole batches stay attributed to it
        var ledger = new Kawal.Registry.Features.ListImportsHandler(crashed.Database, TimeProvider.System);
        var killed = Assert.Single(await ledger.ListAsync(Kawal.Identity.Caller.Operator("test")), i => i.Kind == "participants");
        Assert.Equal("interrupted", killed.Status);

        var rerun = await Import(crashed, "participants", file);

        Assert.Equal((Rows - participants, participants), (rerun.Created, rerun.Unchanged));
        Assert.Equal(await State(reference), await State(crashed));
        Assert.Equal(Rows, await Count(crashed, "SELECT count(DISTINCT kpj) FROM participants"));
        System.IO.File.Delete(file);
    }

    private static Process Start(TestDatabase t, string file)
    {
        var kawal = Path.Combine(AppContext.BaseDirectory, "kawal.dll");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { kawal, "import", "participants", file, "--database", t.ConnectionText, "--report-dir", Path.GetTempPath() })
        {
            info.ArgumentList.Add(a);
        }

        return Process.Start(info)!;
    }
}
