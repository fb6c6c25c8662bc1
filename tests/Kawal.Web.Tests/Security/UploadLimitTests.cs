using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Kawal.Data;
using Kawal.Identity;
using Kawal.Testing;

namespace Kawal.Web.Tests.Security;

/// <summary>Issue 23, item 5, over HTTP: a body past the upload limit is answered 413 in the reader's language; an attack file 400 naming its limit.</summary>
public class UploadLimitTests
{
    private static readonly Dictionary<string, string?> OneMegabyte = new() { ["Kawal:Uploads:MaxUploadBytes"] = "1048576" };

    private static MultipartFormDataContent Form(HttpContent file, string name)
    {
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return new MultipartFormDataContent { { file, "file", name } };
    }

    [Fact]
    public async Task An_upload_past_the_limit_is_answered_413_in_Indonesian_or_English_whether_or_not_it_states_its_length()
    {
        await using var app = await KawalFactory.StartAsync(Engine.Sqlite, OneMegabyte);
        var officer = await Seed.ClientAsync(app, Role.RegencyOfficer, "35.07");
        var twoMegabytes = new byte[2 << 20];

        async Task<(HttpStatusCode Status, JsonElement Problem)> Post(string query, HttpContent file)
        {
            using var form = Form(file, "besar.csv");
            using var r = await officer.PostAsync(new Uri("/api/v1/imports/participants" + query, UriKind.Relative), form);
            return (r.StatusCode, await r.Content.ReadFromJsonAsync<JsonElement>());
        }

        var stated = await Post("?dryRun=true", new ByteArrayContent(twoMegabytes));
        var english = await Post("?dryRun=true&lang=en", new ByteArrayContent(twoMegabytes));
        var chunked = await Post("?dryRun=true", new StreamContent(new Unseekable(twoMegabytes)));
        using (var unstated = Form(new StreamContent(new Unseekable(twoMegabytes)), "besar.csv"))
        {
            Assert.Null(unstated.Headers.ContentLength); // so that one was sent in chunks, counted as it came
        }

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, stated.Status);
        Assert.Equal("file.too_large", stated.Problem.GetProperty("code").GetString());
        Assert.Equal(1_048_576, stated.Problem.GetProperty("limitBytes").GetInt64());
        Assert.Contains("Berkas terlalu besar", stated.Problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("1 MB", stated.Problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("too large", stated.Problem.GetProperty("messageEn").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, english.Status);
        Assert.Contains("The file is too large", english.Problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, chunked.Status);
        Assert.Equal("file.too_large", chunked.Problem.GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_page_upload_past_the_limit_is_answered_413_with_a_page_in_Indonesian()
    {
        await using var app = await KawalFactory.StartAsync(Engine.Sqlite, OneMegabyte);
        var browser = app.CreateClient();
        using var form = Form(new ByteArrayContent(new byte[2 << 20]), "besar.xlsx");
        form.Add(new StringContent("participants"), "kind");

        using var r = await browser.PostAsync(new Uri("/registri/impor", UriKind.Relative), form);
        var html = await r.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, r.StatusCode);
        Assert.Equal("text/html", r.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<html lang=\"id\">", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"too-large\"", html, StringComparison.Ordinal);
        Assert.Contains("Berkas terlalu besar: unggahan paling besar 1 MB", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/registri/impor\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_attack_file_is_answered_400_naming_its_limit_in_Indonesian_and_listed_as_failed()
    {
        await using var app = await KawalFactory.StartAsync(Engine.Sqlite);
        var officer = await Seed.ClientAsync(app, Role.RegencyOfficer, "35.07");
        var header = """<row r="1"><c t="inlineStr"><is><t>nik</t></is></c><c t="inlineStr"><is><t>nama</t></is></c><c t="inlineStr"><is><t>segmen</t></is></c><c t="inlineStr"><is><t>tanggal_mulai</t></is></c></row>""";
        var column = AttackFiles.Xlsx("column", s => AttackFiles.Write(s,
            $"""<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{header}<row r="2"><c r="ZZZZZZ2"><v>1</v></c></row></sheetData></worksheet>"""));

        async Task<JsonElement> Refused(string file, string code)
        {
            using var form = Form(new ByteArrayContent(await File.ReadAllBytesAsync(file)), "serangan.xlsx");
            using var r = await officer.PostAsync(new Uri("/api/v1/imports/participants?dryRun=true", UriKind.Relative), form);
            var problem = await r.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
            Assert.Equal(code, problem.GetProperty("code").GetString());
            return problem;
        }

        var beyond = await Refused(column, "xlsx.column");
        var bomb = await Refused(AttackFiles.Bomb, "xlsx.compression_ratio");
        var imports = await officer.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/imports", UriKind.Relative));

        Assert.Equal("serangan.xlsx: baris 2: rujukan sel ZZZZZZ2 melewati kolom XFD, kolom terakhir lembar XLSX", beyond.GetProperty("detail").GetString());
        Assert.Equal(2, beyond.GetProperty("row").GetInt32());
        Assert.Contains("beyond column XFD", beyond.GetProperty("messageEn").GetString(), StringComparison.Ordinal);
        Assert.Contains("bom kompresi", bomb.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var ids = new[] { beyond, bomb }.Select(p => p.GetProperty("importId").GetInt64()).ToList();
        Assert.Equal(ids.Order(), imports.EnumerateArray().Select(i => i.GetProperty("id").GetInt64()).Order());
        Assert.All(imports.EnumerateArray(), i => Assert.Equal("failed", i.GetProperty("status").GetString()));
    }

    /// <summary>A body whose length the client cannot know beforehand: sent in chunks.</summary>
    private sealed class Unseekable(byte[] content) : MemoryStream(content)
    {
        public override bool CanSeek => false;
    }
}
