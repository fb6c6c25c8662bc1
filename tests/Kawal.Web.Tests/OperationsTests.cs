using Dapper;
using Kawal.Cli;
using Kawal.Data;
using Kawal.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Kawal.Web.Tests;

/// <summary>Running several nodes: <c>serve --demo</c> on two of them.</summary>
public class OperationsTests
{
    [EngineTheory]
    public async Task Serve_demo_on_a_second_node_waits_for_the_first_nodes_seed_and_then_skips_it(Engine engine)
    {
        await using var app = await KawalFactory.StartAsync(engine);
        var db = app.Services.GetRequiredService<Database>();
        var log = new StringWriter();
        Task preparing;
        await using (await new Leases(db, TimeProvider.System).AcquireAsync(ServeCommand.DemoSeedLease with { Actor = "first node" }))
        {
            var scope = app.Services.CreateAsyncScope();
            preparing = Task.Run(async () =>
            {
                await using (scope)
                {
                    await ServeCommand.PrepareDemoAsync(scope.ServiceProvider, log, CancellationToken.None);
                }
            });
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            Assert.False(preparing.IsCompleted);

            // The first node's seed, finished while the second waited.
            await using var c = await db.OpenAsync();
            await c.ExecuteAsync("INSERT INTO demo_runs (seed, participants, from_period, to_period, started_by, started_at, finished_at) VALUES (1, 0, '2021-01', '2021-02', 'first node', @now, @now)",
                new { now = TimeProvider.System.GetUtcNow() });
        }

        await preparing.WaitAsync(TimeSpan.FromSeconds(30));
        await using var check = await db.OpenAsync();
        Assert.Equal(1, await check.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM demo_runs"));
        Assert.Contains("waiting for", log.ToString(), StringComparison.Ordinal);
    }
}
