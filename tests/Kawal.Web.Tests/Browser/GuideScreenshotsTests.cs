using System.Text.RegularExpressions;
using Kawal.Cli;
using Kawal.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Kawal.Web.Tests.Browser;

/// <summary>
/// The user guide (docs/guide/*.md) against the product: every screenshot a guide shows is taken here, from the standard
/// demo, as the role the guide is written for. The table below names each picture's account, page and what is done on
/// it before the picture is taken; the guides and the table must name the same pictures. Each page must answer below
/// 400, show no error, and show every UI word the guide quotes in **bold** before the picture (on the page pictured or
/// on a page the table's actions passed through on the way). With <c>KAWAL_UPDATE_GUIDE=1</c> the pictures are written
/// into docs/guide/img/ (viewport only, 1366×900 unless the table says otherwise).
/// </summary>
public sealed partial class GuideScreenshotsTests(ITestOutputHelper output)
{
    /// <summary>Signed out: what anyone on the internet sees.</summary>
    private const string Anonymous = "";

    private const int DefaultWidth = 1366;
    private const int DefaultHeight = 900;

    private static readonly bool Update = Environment.GetEnvironmentVariable("KAWAL_UPDATE_GUIDE") == "1";

    /// <summary>One picture: who, where, what is done first, and where the page is scrolled to.</summary>
    public sealed record Shot(string Image, string Account, string Path, Func<IPage, Task>? Act = null, string? ScrollTo = null, int Width = DefaultWidth, int Height = DefaultHeight);

    /// <summary>
    /// Every picture of the guide, in the order taken: one demo database for all, so what one role does (a regency
    /// submits a commitment) is what the next one finds (the province verifies it, the national team accepts it).
    /// </summary>
    public static IReadOnlyList<Shot> Shots { get; } =
    [
        // README: signing in; publik.md: the public pages.
        new("masuk.png", Anonymous, "/masuk"),
        new("publik-beranda.png", Anonymous, "/"),
        new("publik-monev.png", "demo.publik", "/monev"),
        new("publik-aturan.png", "demo.publik", "/aturan", async p =>
        {
            await p.Locator("input[name=q]").FillAsync("JKM");
            await SubmitAsync(p, () => p.Locator("input[name=q]").PressAsync("Enter"));
        }),
        new("publik-simulasi-iuran.png", "demo.publik", "/simulasi", async p =>
        {
            var form = p.GetByTestId("contribution-form");
            await form.Locator("select[name=segment]").SelectOptionAsync("PU");
            await form.Locator("input[name=wage]").FillAsync("5000000");
            await SubmitAsync(p, form.Locator("button[type=submit]"));
        }),
        new("publik-simulasi-manfaat.png", "demo.publik", "/simulasi", async p =>
        {
            var form = p.GetByTestId("benefit-form");
            await form.Locator("select[name=kind]").SelectOptionAsync(new SelectOptionValue { Label = "JKM – kematian" });
            await form.Locator("input[name=bwage]").FillAsync("5000000");
            await form.Locator("input[name=date]").FillAsync(DaysAgo(10));
            await form.Locator("input[name=contributionMonths]").FillAsync("60");
            await form.Locator("input[name=children]").FillAsync("2");
            await SubmitAsync(p, form.Locator("button[type=submit]"));
        }),
        new("publik-ponsel.png", "demo.publik", "/", p => p.GetByTestId("menu-toggle").ClickAsync(), Width: 390, Height: 844),

        // pemberi-kerja.md: the demo employer's own workers, bills and payments.
        new("pk-pemberi-kerja.png", "demo.pemberikerja", "/registri/pemberi-kerja"),
        new("pk-pekerja.png", "demo.pemberikerja", "/registri/pemberi-kerja/" + DemoUsers.EmployerNpp),
        new("pk-rekening.png", "demo.pemberikerja", "/iuran/pembayar/employer%3A" + DemoUsers.EmployerNpp),
        new("pk-pembayaran.png", "demo.pemberikerja", "/iuran/pembayar/employer%3A" + DemoUsers.EmployerNpp, ScrollTo: "h2:text-is('Pembayaran')"),

        // petugas-kabupaten.md: Kab. Malang enters a commitment with its evidence and submits it.
        new("kab-dasbor.png", "demo.kabupaten", "/monev"),
        new("kab-ponsel.png", "demo.kabupaten", "/monev", Width: 390, Height: 844),
        new("kab-komitmen-isi.png", "demo.kabupaten", "/monev", async p =>
        {
            await FollowAsync(p, "Isi, bukti dan persetujuan komitmen");
            await FillRegulationAsync(p);
        }, ScrollTo: "h2:text-is('Isi atau ubah komitmen')"),
        new("kab-komitmen-draf.png", "demo.kabupaten", "/monev/komitmen/35.07", async p =>
        {
            await FillRegulationAsync(p);
            await SubmitAsync(p, p.GetByTestId("commitment-form").Locator("button[type=submit]"));
            var row = p.GetByTestId("commitment-list").Locator("tr[data-kind=regulation]");
            await row.Locator("input[type=file]").SetInputFilesAsync(new FilePayload { Name = "perda-kab-malang-7.pdf", MimeType = "application/pdf", Buffer = "%PDF-1.4 Perda Kabupaten Malang 7 (data demo)"u8.ToArray() });
            await SubmitAsync(p, row.GetByTestId("evidence-form").Locator("button"));
        }),
        new("kab-komitmen-diajukan.png", "demo.kabupaten", "/monev/komitmen/35.07", async p =>
            await SubmitAsync(p, p.GetByTestId("commitment-list").Locator("tr[data-kind=regulation] button[value=submit]"))),
        new("kab-laporan.png", "demo.kabupaten", "/monev", ScrollTo: "[data-testid=reports]"),
        new("kab-kepatuhan.png", "demo.kabupaten", "/kepatuhan"),
        new("kab-kepatuhan-wilayah.png", "demo.kabupaten", "/kepatuhan", p => FollowAsync(p, "Halaman kepatuhan wilayah")),

        // petugas-provinsi.md: East Java's dashboard and regencies, and it verifies Kab. Malang's commitment.
        new("prov-dasbor.png", "demo.provinsi", "/monev"),
        new("prov-kabupaten.png", "demo.provinsi", "/monev", ScrollTo: "[data-testid=children]"),
        new("prov-komitmen.png", "demo.provinsi", "/monev", p => FollowAsync(p, "Isi, bukti dan persetujuan komitmen")),
        new("prov-komitmen-kabupaten.png", "demo.provinsi", "/monev/wilayah/35.07", p => FollowAsync(p, "Isi, bukti dan persetujuan komitmen")),
        new("prov-verifikasi.png", "demo.provinsi", "/monev/komitmen/35.07", async p =>
            await SubmitAsync(p, p.GetByTestId("commitment-list").Locator("tr[data-kind=regulation] button[value=verify]"))),
        new("prov-tunggakan.png", "demo.provinsi", "/iuran/tunggakan?wilayah=35"),

        // tim-monev.md: the national team.
        new("monev-dasbor.png", "demo.monev", "/monev"),
        new("monev-skor.png", "demo.monev", "/monev?indikator=score", ScrollTo: "[data-testid=map]"),
        new("monev-peringkat.png", "demo.monev", "/monev?indikator=score", ScrollTo: "[data-testid=children]"),
        new("monev-wilayah.png", "demo.monev", "/monev/wilayah/35"),
        new("monev-laporan.png", "demo.monev", "/monev", ScrollTo: "[data-testid=reports]"),
        new("monev-komitmen.png", "demo.monev", "/monev/wilayah/35.07", p => FollowAsync(p, "Isi, bukti dan persetujuan komitmen")),
        new("monev-komitmen-terima.png", "demo.monev", "/monev/komitmen/35.07", async p =>
            await SubmitAsync(p, p.GetByTestId("commitment-list").Locator("tr[data-kind=regulation] button[value=accept]"))),
        new("monev-kunjungan.png", "demo.monev", "/monev", p => FollowAsync(p, "Kunjungan dan rekomendasi")),
        new("monev-tindak-lanjut.png", "demo.monev", "/monev/kunjungan", async p =>
        {
            var form = p.GetByTestId("follow-up-form").First;
            await form.Locator("select[name=status]").SelectOptionAsync(new SelectOptionValue { Label = "dalam proses" });
            await form.Locator("input[name=followUp]").FillAsync("Surat Kemenko PMK kepada Bupati Karo; rapat koordinasi dijadwalkan");
            await SubmitAsync(p, form.Locator("button[type=submit]"));
        }),
        new("monev-kunjungan-catat.png", "demo.monev", "/monev/kunjungan", ScrollTo: "[data-testid=visit-form]"),
        new("monev-adresat.png", "demo.monev", "/monev/wilayah/35", p => FollowAsync(p, "Kewajiban kepala daerah")),

        // petugas-bpjs.md: Kab. Malang's claims under four eyes (the demo's other officers took some of them), then cases.
        new("bpjs-peserta.png", "demo.bpjs", "/registri/peserta?npp=" + DemoUsers.EmployerNpp),
        new("bpjs-klaim.png", "demo.bpjs", "/klaim"),
        new("bpjs-bayar.png", "demo.bpjs", "/klaim", async p =>
        {
            await OpenClaimAsync(p, "Disetujui");
            await p.GetByTestId("pay-form").Locator("input[name=reference]").FillAsync("BNI-DEMO-0001");
            await SubmitAsync(p, p.GetByTestId("pay-form").Locator("button[type=submit]"));
        }),
        new("bpjs-setujui.png", "demo.bpjs", "/klaim", async p =>
        {
            await OpenClaimAsync(p, "Dokumen diverifikasi");
            await SubmitAsync(p, p.GetByTestId("approve-form").Locator("button[type=submit]"));
        }),
        new("bpjs-verifikasi.png", "demo.bpjs", "/klaim", async p =>
        {
            await OpenClaimAsync(p, "Diajukan");
            await SubmitAsync(p, p.GetByTestId("verify-form").Locator("button[type=submit]"));
        }),
        new("bpjs-klaim-baru.png", "demo.bpjs", "/registri/peserta?npp=" + DemoUsers.EmployerNpp, async p => await FillDeathClaimAsync(p), ScrollTo: "body"),
        new("bpjs-klaim-diajukan.png", "demo.bpjs", "/registri/peserta?npp=" + DemoUsers.EmployerNpp, async p =>
        {
            await FillDeathClaimAsync(p);
            await SubmitAsync(p, p.GetByTestId("claim-form").Locator("button[type=submit]"));
        }),
        new("bpjs-kepatuhan.png", "demo.bpjs", "/kepatuhan"),
        new("bpjs-kasus.png", "demo.bpjs", "/kepatuhan", async p => await OpenFirstAsync(p), ScrollTo: "h2:text-is('Surat')"),

        // jaksa.md: the SKK at the Kejari of Kab. Malang.
        new("jaksa-kepatuhan.png", "demo.jaksa", "/kepatuhan"),
        new("jaksa-kantor.png", "demo.jaksa", "/kepatuhan", p => FollowAsync(p, "Halaman kantor kejaksaan")),
        new("jaksa-kasus.png", "demo.jaksa", "/kepatuhan", async p => await OpenFirstAsync(p)),
        new("jaksa-tindakan.png", "demo.jaksa", "/kepatuhan", async p =>
        {
            await OpenFirstAsync(p);
            var form = p.GetByTestId("act-form");
            await form.Locator("select[name=kind]").SelectOptionAsync("agreement_instalments");
            await form.Locator("input[name=note]").FillAsync("Kesepakatan bayar enam kali angsuran (data demo)");
            await SubmitAsync(p, form.Locator("button[type=submit]"));
        }, ScrollTo: "[data-testid=case-events] tbody tr:last-child"),
        new("jaksa-pemulihan.png", "demo.jaksa", "/kepatuhan", async p =>
        {
            await OpenFirstAsync(p);
            var form = p.GetByTestId("recover-form");
            await form.Locator("input[name=reference]").FillAsync("DEMO-KEJARI-SETOR-0002");
            await form.Locator("input[name=amount]").FillAsync("500000");
            await SubmitAsync(p, form.Locator("button[type=submit]"));
        }),

        // administrator.md: accounts, API keys, the audit log and imports.
        new("admin-pengguna.png", "demo.admin", "/admin/pengguna"),
        new("admin-pengguna-tambah.png", "demo.admin", "/admin/pengguna", async p =>
        {
            await p.Locator("input[name='New.Username']").FillAsync("petugas.kotabatu");
            await p.Locator("input[name='New.DisplayName']").FillAsync("Petugas Kota Batu");
            await p.Locator("select[name='New.Role']").SelectOptionAsync(new SelectOptionValue { Label = "Petugas kabupaten/kota" });
            await p.Locator("input[name='New.Region']").FillAsync("35.79");
            await p.Locator("input[name='New.Password']").FillAsync("KotaBatu-Aman-2026");
            await SubmitAsync(p, p.Locator("button[type=submit]", new() { HasTextString = "Tambah" }));
        }),
        new("admin-audit.png", "demo.admin", "/admin/audit?verify=1", async p =>
        {
            await p.Locator("input[name=action]").FillAsync("login");
            await SubmitAsync(p, p.Locator("button[type=submit]", new() { HasTextString = "Saring" }));
        }),
        new("admin-kunci-api.png", "demo.admin", "/admin/kunci-api", async p =>
        {
            await p.Locator("input[name='New.Name']").FillAsync("Dasbor Kantor Cabang Malang");
            await p.Locator("select[name='New.Role']").SelectOptionAsync(new SelectOptionValue { Label = "Petugas BPJS Ketenagakerjaan" });
            await p.Locator("input[name='New.Region']").FillAsync("35.07");
            await SubmitAsync(p, p.Locator("button[type=submit]", new() { HasTextString = "Buat" }));
        }),
        new("admin-impor.png", "demo.admin", "/registri/impor", async p =>
        {
            await p.Locator("select[name=kind]").SelectOptionAsync("participants");
            await p.Locator("input[name=file]").SetInputFilesAsync(new FilePayload
            {
                Name = "peserta-kab-malang.csv",
                MimeType = "text/csv",
                Buffer = "nik;nama;segmen;npp;kategori;upah;tanggal_mulai\n3507906101950031;Siti Aminah;PU;35070000001;non_asn;2.925.000;02/01/2026\n3507900101950032;Budi Santoso;PU;35079999999;non_asn;2.925.000;02/01/2026\n"u8.ToArray(),
            });
            await SubmitAsync(p, p.GetByTestId("upload-form").Locator("button[type=submit]"));
        }),
    ];

    [Fact]
    public void The_guides_and_the_screenshot_table_name_the_same_pictures_and_every_picture_is_there()
    {
        var guide = Guide.Read();
        var table = Shots.Select(s => s.Image).ToList();
        Assert.Equal(table.Count, table.Distinct(StringComparer.Ordinal).Count());
        Assert.Empty(guide.Words.Keys.Except(table, StringComparer.Ordinal).Select(i => $"{i}: shown by a guide, taken by no row of GuideScreenshotsTests.Shots"));
        Assert.Empty(table.Except(guide.Words.Keys, StringComparer.Ordinal).Select(i => $"{i}: taken by GuideScreenshotsTests.Shots, shown by no guide"));
        Assert.Empty(guide.Words.Where(w => w.Value.Count == 0).Select(w => $"{w.Key}: no **UI word** quoted before it"));
        var files = Directory.EnumerateFiles(Path.Combine(guide.Folder, "img")).Select(Path.GetFileName).ToList();
        Assert.Empty(table.Except(files, StringComparer.Ordinal).Select(i => $"docs/guide/img/{i} is missing: KAWAL_UPDATE_GUIDE=1 dotnet test --filter GuideScreenshotsTests"));
        Assert.Empty(files.Except(table, StringComparer.Ordinal).Select(f => $"docs/guide/img/{f} is in no row of the table"));
    }

    [BrowserFact]
    public async Task Every_guide_picture_s_page_answers_and_shows_the_words_the_guide_quotes()
    {
        var guide = Guide.Read();
        await using var kawal = await LiveKawal.StartAsync();
        using (var scope = kawal.Services.CreateScope())
        {
            await ServeCommand.PrepareDemoAsync(scope.ServiceProvider, TextWriter.Null, CancellationToken.None);
        }

        // A browser of its own whose interface is Indonesian, as an Indonesian officer's is: date fields read dd/mm/yyyy and
        // file pickers "Pilih File" (where Debian's chromium-l10n is installed; without it they stay English).
        using var playwright = await Playwright.CreateAsync();
        var environment = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "", StringComparer.Ordinal);
        environment["LANGUAGE"] = "id";
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = BrowserFactAttribute.Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--lang=id"],
            Env = environment,
        });
        var pages = new Dictionary<string, IPage>(StringComparer.Ordinal);
        var failures = new List<string>();
        foreach (var shot in Shots)
        {
            if (!pages.TryGetValue(shot.Account, out var page))
            {
                page = await NewPageAsync(browser, kawal.BaseUrl, shot.Account);
                pages[shot.Account] = page;
            }

            await page.SetViewportSizeAsync(shot.Width, shot.Height);
            var response = await page.GotoAsync(kawal.BaseUrl + shot.Path);
            if (response is null || response.Status >= 400)
            {
                failures.Add($"{shot.Image}: {shot.Account} {shot.Path} answered {response?.Status}");
                continue;
            }

            var seen = new List<string> { await TextAsync(page) };
            Passed.Value = seen;
            try
            {
                if (shot.Act is not null)
                {
                    await shot.Act(page);
                }

                if (shot.ScrollTo is not null)
                {
                    await page.Locator(shot.ScrollTo).First.EvaluateAsync("e => { e.scrollIntoView({ block: 'start' }); window.scrollBy(0, -12); }");
                }
            }
            catch (PlaywrightException e)
            {
                failures.Add($"{shot.Image}: {shot.Account} {shot.Path}: {e.Message.Split('\n')[0]}");
                continue;
            }

            var errors = await page.Locator(".error[role=alert], h1:text-is('Akses ditolak')").AllInnerTextsAsync();
            failures.AddRange(errors.Select(e => $"{shot.Image}: {shot.Account} {page.Url} shows an error: {e}"));
            seen.Add(await TextAsync(page));
            foreach (var word in guide.Words.GetValueOrDefault(shot.Image, []))
            {
                if (!seen.Any(text => text.Contains(word, StringComparison.Ordinal)))
                {
                    failures.Add($"{shot.Image}: the guide quotes **{word}** but {page.Url} (nor a page passed on the way) does not show it");
                }
            }

            var english = EnglishSide.FindAllIn(await page.EvaluateAsync<string>("() => document.body.innerText"));
            output.WriteLine($"{shot.Image}: {shot.Account} {page.Url}{(english.Count > 0 ? " — English-side text: " + string.Join(" | ", english) : "")}");
            if (Update)
            {
                var file = Path.Combine(guide.Folder, "img", shot.Image);
                var jpeg = shot.Image.EndsWith(".jpg", StringComparison.Ordinal);
                await page.ScreenshotAsync(new PageScreenshotOptions
                {
                    Path = file,
                    Type = jpeg ? ScreenshotType.Jpeg : ScreenshotType.Png,
                    Quality = jpeg ? 70 : null,
                    Animations = ScreenshotAnimations.Disabled,
                    Caret = ScreenshotCaret.Hide,
                });
                output.WriteLine($"  wrote docs/guide/img/{shot.Image} ({new FileInfo(file).Length / 1024} KB)");
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    /// <summary>A browser set to Indonesian (date fields, file pickers) in Jakarta's time, signed in unless anonymous.</summary>
    private static async Task<IPage> NewPageAsync(IBrowser browser, string baseUrl, string account)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { Locale = "id-ID", TimezoneId = "Asia/Jakarta" });
        var page = await context.NewPageAsync();
        if (account != Anonymous)
        {
            await page.GotoAsync(baseUrl + "/masuk");
            await page.Locator("input[name=username]").FillAsync(account);
            await page.Locator("input[name=password]").FillAsync(DemoUsers.Password);
            await SubmitAsync(page, page.Locator("form[data-testid=login-form] button[type=submit]"));
            await Assertions.Expect(page.GetByTestId("account")).ToBeVisibleAsync();
        }

        return page;
    }

    /// <summary>Clicks a submit button or link and waits for the page it leads to.</summary>
    private static Task SubmitAsync(IPage page, ILocator button) => SubmitAsync(page, () => button.ClickAsync());

    /// <summary>The text of every page an action left on its way to the picture (their words count as shown).</summary>
    private static readonly AsyncLocal<List<string>?> Passed = new();

    /// <summary>Does what leaves the page (a form sent, a link followed) and waits until the next page has loaded.</summary>
    private static async Task SubmitAsync(IPage page, Func<Task> action)
    {
        Passed.Value?.Add(await TextAsync(page));
        await page.EvaluateAsync("() => { window.kawalGuideLeaving = true; }");
        await action();
        await page.WaitForFunctionAsync("() => window.kawalGuideLeaving !== true");
        await page.WaitForLoadStateAsync(LoadState.Load);
    }

    /// <summary>Follows the link of that text.</summary>
    private static Task FollowAsync(IPage page, string link) => SubmitAsync(page, page.GetByRole(AriaRole.Link, new() { Name = link, Exact = true }).First);

    /// <summary>From a list, opens the first row's link.</summary>
    private static Task OpenFirstAsync(IPage page) => SubmitAsync(page, page.Locator("table.data tbody a[href^='/']").First);

    /// <summary>From the claims list, opens the first claim with this status.</summary>
    private static Task OpenClaimAsync(IPage page, string status) =>
        SubmitAsync(page, page.Locator($"table.data tbody tr:has(td:text-is('{status}')) a[href^='/klaim/']").First);

    /// <summary>Kab. Malang's regional regulation (Perda), as the regency officer types it.</summary>
    private static async Task FillRegulationAsync(IPage page)
    {
        var year = int.Parse(Regex.Match((await page.Locator("h1").InnerTextAsync()).Trim(), @"\d{4}$").Value, System.Globalization.CultureInfo.InvariantCulture);
        var form = page.GetByTestId("commitment-form");
        await form.Locator("select[name=kind]").SelectOptionAsync("regulation");
        await form.Locator("select[name=regType]").SelectOptionAsync("perda");
        await form.Locator("input[name=regNumber]").FillAsync("7");
        await form.Locator("input[name=regDate]").FillAsync($"{year - 1}-11-20");
        await form.Locator("input[name=regTitle]").FillAsync("Perlindungan Jaminan Sosial Ketenagakerjaan bagi Pekerja Non-ASN dan Pekerja Rentan");
        await form.Locator("select[name=regStatus]").SelectOptionAsync("enacted");
    }

    /// <summary>From the demo employer's workers, the first one's death claim, with an heir and the documents handed in.</summary>
    private static async Task FillDeathClaimAsync(IPage page)
    {
        var nik = (await page.Locator("table.data tbody tr td:nth-child(2)").First.InnerTextAsync()).Trim();
        await page.GotoAsync(new Uri(new Uri(page.Url), "/klaim/baru?nik=" + nik).ToString());
        var form = page.GetByTestId("claim-form");
        await form.Locator("select[name=kind]").SelectOptionAsync("JKM|death");
        await form.Locator("input[name=eventDate]").FillAsync(DaysAgo(10));
        await form.Locator("input[name=heirName1]").FillAsync("Siti Rahmawati");
        await form.Locator("select[name=heirRelation1]").SelectOptionAsync("spouse");
        await form.Locator("input[name=heirBank1]").FillAsync("0011223344");
        foreach (var doc in new[] { "kartu_peserta", "ktp", "kk", "buku_rekening", "akta_kematian", "surat_ahli_waris", "ktp_ahli_waris" })
        {
            await form.Locator($"input[name=documents][value={doc}]").CheckAsync();
        }
    }

    /// <summary>A page's text, hidden parts (the closed phone menu, a select's options) included, spaces collapsed.</summary>
    private static async Task<string> TextAsync(IPage page) => Spaces().Replace(await page.EvaluateAsync<string>("() => document.body.textContent"), " ");

    /// <summary>A date input's value: so many days before today.</summary>
    private static string DaysAgo(int days) =>
        DateOnly.FromDateTime(TimeProvider.System.GetLocalNow().DateTime).AddDays(-days).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    /// <summary>
    /// The guides as the test reads them: for each picture (<c>![…](img/NAME)</c>), the UI words quoted in bold since the
    /// previous picture or heading. The English summaries quote no UI word and show no picture.
    /// </summary>
    private sealed partial record Guide(string Folder, IReadOnlyDictionary<string, IReadOnlyList<string>> Words)
    {
        public static Guide Read()
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Kawal.slnx")))
            {
                dir = dir.Parent;
            }

            var folder = Path.Combine(dir?.FullName ?? throw new InvalidOperationException("Kawal.slnx not found above " + AppContext.BaseDirectory), "docs", "guide");
            var words = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            foreach (var file in Directory.EnumerateFiles(folder, "*.md").Order(StringComparer.Ordinal))
            {
                var pending = new List<string>();
                foreach (var line in File.ReadLines(file))
                {
                    if (line.StartsWith('#'))
                    {
                        pending.Clear();
                    }

                    pending.AddRange(Bold().Matches(line).Select(m => m.Groups[1].Value));
                    foreach (Match image in Image().Matches(line))
                    {
                        var list = words.TryGetValue(image.Groups[1].Value, out var l) ? l : words[image.Groups[1].Value] = [];
                        list.AddRange(pending.Except(list, StringComparer.Ordinal));
                        pending.Clear();
                    }
                }
            }

            return new Guide(folder, words.ToDictionary(w => w.Key, w => (IReadOnlyList<string>)w.Value, StringComparer.Ordinal));
        }

        [GeneratedRegex(@"\*\*([^*]+)\*\*")]
        private static partial Regex Bold();

        [GeneratedRegex(@"!\[[^\]]*\]\(img/([^)\s]+)\)")]
        private static partial Regex Image();
    }
}
