using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Kawal.Data;
using Kawal.Identity;
using Kawal.Registry.Import;
using Kawal.Testing;
using Kawal.Web.Tests.Security;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.Extensions.DependencyInjection;

namespace Kawal.Web.Tests;

/// <summary>
/// Several <c>serve</c> nodes behind a proxy on one database behave as one (docs/operations.md, several nodes): two hosts
/// with keys folders of their own share one database, and one browser's requests alternate between them.
/// </summary>
public partial class SharedNodesTests
{
    private const string User = "petugas.malang";

    private static Uri U(string path) => new(path, UriKind.Relative);

    [EngineTheory]
    public async Task Sign_in_import_and_compliance_check_alternate_between_two_nodes(Engine engine)
    {
        await using var a = await KawalFactory.StartAsync(engine);
        await using var b = a.Peer();
        await Seed.RegistryAsync(a);
        await Seed.UserAsync(a, User, Role.RegencyOfficer, "35.07");
        // One browser (one cookie jar) behind a proxy that sends each request to the other node.
        var jar = new CookieContainer();
        var toA = a.CreateDefaultClient(new CookieContainerHandler(jar));
        var toB = b.CreateDefaultClient(new CookieContainerHandler(jar));

        // Sign in: the form from A, its post to B (antiforgery keys of the database), then pages from both.
        using var login = await LoginTests.PostLoginAsync(toB, User, "Rahasia-Kawal-2026", await LoginTests.TokenAsync(toA));
        Assert.True(login.StatusCode == HttpStatusCode.Redirect, await login.Content.ReadAsStringAsync());
        foreach (var (client, path) in new[] { (toA, "/"), (toB, "/registri/peserta"), (toA, "/api/v1/me"), (toB, "/api/v1/me") })
        {
            using var page = await client.GetAsync(U(path));
            Assert.True(page.StatusCode == HttpStatusCode.OK, $"{path}: {page.StatusCode}");
        }

        // Import: the check (dry run) on A, its confirmation on B, which finds the staged file in the database.
        var checkedPage = await PostAsync(toA, "/registri/impor", await LoginTests.TokenAsync(toB, "/registri/impor"), "upload", ("kind", "participants"),
            ("file", "3507016801920003;Ani Rahmawati;PU;35070001;2.800.000;01/02/2025"));
        var token = StagedToken().Match(checkedPage).Groups[1].Value;
        Assert.Matches("^[0-9a-f]{32}$", token);
        Assert.Contains("data-testid=\"confirm-form\"", checkedPage, StringComparison.Ordinal);
        var confirmedPage = await PostAsync(toB, "/registri/impor", LoginTests.TokenIn(checkedPage), "confirm", ("token", token));
        Assert.DoesNotContain("data-testid=\"import-error\"", confirmedPage, StringComparison.Ordinal);
        var imports = await toA.GetFromJsonAsync<JsonElement>(U("/api/v1/imports"));
        Assert.Equal([(false, "completed"), (true, "completed")], imports.EnumerateArray().Select(i => (i.GetProperty("dryRun").GetBoolean(), i.GetProperty("status").GetString())).Order());
        Assert.Contains("Ani Rahmawati", await toB.GetStringAsync(U("/api/v1/participants/3507016801920003")), StringComparison.Ordinal);

        // Compliance: an answer signed on A verifies with the public key B publishes (one signing key in the database).
        var answer = await toA.GetFromJsonAsync<JsonElement>(U($"/api/v1/compliance/check?npp={Seed.EmployerA}"));
        var published = await toB.GetFromJsonAsync<JsonElement>(U("/api/v1/compliance/public-key"));
        Assert.Equal(published.GetProperty("keyId").GetString(), answer.GetProperty("keyId").GetString());
        using var key = ECDsa.Create();
        key.ImportFromPem(published.GetProperty("publicKeyPem").GetString());
        Assert.True(key.VerifyData(Convert.FromBase64String(answer.GetProperty("payload").GetString()!), Convert.FromBase64String(answer.GetProperty("signature").GetString()!),
            HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));

        // Nothing of it was kept in a node's keys folder, and the staged file is gone once imported.
        Assert.Empty(Directory.GetFiles(a.KeysFolder, "key-*.xml"));
        Assert.Empty(Directory.GetFiles(b.KeysFolder, "key-*.xml"));
        Assert.Empty(Directory.GetFiles(a.KeysFolder, "*.pem"));
        await using var c = await a.Db.Database.OpenAsync();
        Assert.Equal(0, await Dapper.SqlMapper.ExecuteScalarAsync<long>(c, "SELECT count(*) FROM import_staging"));
        Assert.Equal(0, await Dapper.SqlMapper.ExecuteScalarAsync<long>(c, "SELECT count(*) FROM import_staging_parts"));
        Assert.True(await new AuditVerifier(a.Db.Database).VerifyAsync() is { Ok: true }, "the audit chain written by both nodes verifies");
    }

    [EngineTheory]
    public async Task A_node_given_another_audit_key_does_not_start(Engine engine)
    {
        await using var a = await KawalFactory.StartAsync(engine);
        _ = a.Services; // started: the database records the audit key of the chain
        await using var b = a.Peer(auditKey: RandomNumberGenerator.GetBytes(32));

        var refused = await Assert.ThrowsAnyAsync<Exception>(() => Task.FromResult(b.Services));

        Assert.Contains("audit key", Flatten(refused), StringComparison.Ordinal);
        Assert.Contains("same audit.key", Flatten(refused), StringComparison.Ordinal);
    }

    [EngineTheory]
    public async Task A_chain_written_before_keys_were_recorded_is_not_taken_over_by_another_key(Engine engine)
    {
        await using var a = await KawalFactory.StartAsync(engine);
        await Seed.UserAsync(a, User, Role.RegencyOfficer, "35.07"); // an audit entry under the database's key
        await using (var c = await a.Db.Database.OpenAsync())
        {
            await Dapper.SqlMapper.ExecuteAsync(c, "DELETE FROM audit_keys"); // as before identity migration 0004
        }

        await using var b = a.Peer(auditKey: RandomNumberGenerator.GetBytes(32));

        var refused = await Assert.ThrowsAnyAsync<Exception>(() => Task.FromResult(b.Services));

        Assert.Contains("did not write the audit chain", Flatten(refused), StringComparison.Ordinal);
    }

    [EngineTheory]
    public async Task A_compliance_key_file_of_an_earlier_version_becomes_the_shared_key(Engine engine)
    {
        using var earlier = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        await using var a = await KawalFactory.StartAsync(engine);
        await File.WriteAllTextAsync(Path.Combine(a.KeysFolder, "compliance-signing.pem"), earlier.ExportPkcs8PrivateKeyPem());
        await using var b = a.Peer();

        var fromA = await a.CreateClient().GetFromJsonAsync<JsonElement>(U("/api/v1/compliance/public-key"));
        var fromB = await b.CreateClient().GetFromJsonAsync<JsonElement>(U("/api/v1/compliance/public-key"));

        Assert.Equal(earlier.ExportSubjectPublicKeyInfoPem(), fromA.GetProperty("publicKeyPem").GetString());
        Assert.Equal(fromA.GetProperty("keyId").GetString(), fromB.GetProperty("keyId").GetString());
    }

    [EngineTheory]
    public async Task A_checked_file_waits_a_day_for_its_confirmation_then_any_node_removes_it(Engine engine)
    {
        var clock = new FixedTime(new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero));
        await using var a = await KawalFactory.StartAsync(engine, services: s => s.AddSingleton<TimeProvider>(clock));
        using var scope = a.Services.CreateScope();
        var staging = scope.ServiceProvider.GetRequiredService<ImportStaging>();
        var officer = Caller.Operator("petugas");
        var content = new byte[ImportStaging.PartBytes + 10]; // two parts
        RandomNumberGenerator.Fill(content);

        var token = await staging.SaveAsync(new MemoryStream(content), "peserta.CSV", "participants", officer, CancellationToken.None);
        using (var copy = await staging.OpenAsync(token, officer, CancellationToken.None))
        {
            Assert.Equal(content, await File.ReadAllBytesAsync(copy!.Path));
            Assert.Equal(("peserta.CSV", "participants"), (copy.FileName, copy.Kind));
        }

        Assert.Null(await staging.FindAsync(token, Caller.Operator("someone.else"), CancellationToken.None));
        clock.Now += ImportStaging.Lifetime - TimeSpan.FromMinutes(1);
        Assert.NotNull(await staging.FindAsync(token, officer, CancellationToken.None));
        clock.Now += TimeSpan.FromMinutes(2);
        Assert.Null(await staging.FindAsync(token, officer, CancellationToken.None));
        await staging.SaveAsync(new MemoryStream([1, 2, 3]), "next.xlsx", "employers", officer, CancellationToken.None);

        await using var c = await a.Db.Database.OpenAsync();
        Assert.Equal(1, await Dapper.SqlMapper.ExecuteScalarAsync<long>(c, "SELECT count(*) FROM import_staging"));
        Assert.Equal(1, await Dapper.SqlMapper.ExecuteScalarAsync<long>(c, "SELECT count(*) FROM import_staging_parts"));
    }

    private static string Flatten(Exception e) => e.InnerException is null ? e.Message : e.Message + " | " + Flatten(e.InnerException);

    /// <summary>Posts one of the import page's forms (multipart; a field named file is sent as a CSV with the participants header).</summary>
    private static async Task<string> PostAsync(HttpClient client, string path, string antiforgery, string handler, (string Name, string Value) first,
        (string Name, string Value)? second = null, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var form = new MultipartFormDataContent
        {
            { new StringContent(handler), "_handler" },
            { new StringContent(antiforgery), "__RequestVerificationToken" },
        };
        foreach (var (name, value) in second is { } s ? [first, s] : new[] { first })
        {
            if (name == "file")
            {
                var file = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes("nik;nama;segmen;npp;upah;tanggal_mulai\n" + value + "\n"));
                file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
                form.Add(file, "file", "honorer.csv");
            }
            else
            {
                form.Add(new StringContent(value), name);
            }
        }

        using var response = await client.PostAsync(U(path), form);
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{path} {handler}: {response.StatusCode} {html[..Math.Min(html.Length, 2000)]}");
        return html;
    }

    [GeneratedRegex("name=\"token\" value=\"([0-9a-f]{32})\"")]
    private static partial Regex StagedToken();
}
