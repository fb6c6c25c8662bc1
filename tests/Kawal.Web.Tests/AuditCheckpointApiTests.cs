using System.Net.Http.Json;
using Kawal.Data;
using Kawal.Identity;
using Kawal.Testing;
using Kawal.Web.Tests.Security;
using Microsoft.Extensions.DependencyInjection;

namespace Kawal.Web.Tests;

public class AuditCheckpointApiTests
{
    [EngineTheory]
    public async Task The_checkpoints_are_published_without_sign_in_and_verify_against_the_chain(Engine engine)
    {
        await using var app = await KawalFactory.StartAsync(engine);
        await Seed.RegistryAsync(app);
        var checkpoints = app.Services.GetRequiredService<AuditCheckpoints>();
        var written = await checkpoints.WriteAsync();

        var published = await app.CreateClient().GetFromJsonAsync<List<AuditCheckpoint>>(new Uri("/api/v1/audit/checkpoints", UriKind.Relative),
            new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web));

        Assert.True(written.Seq > 0);
        Assert.Equal([written], published);
        Assert.True((await app.Services.GetRequiredService<AuditVerifier>().VerifyAsync()).Ok);
        Assert.True((await new AuditVerifier(app.Db.Database, checkpoints).VerifyAsync()).Ok); // the test database writes with the host's key
    }
}
