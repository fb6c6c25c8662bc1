using System.Globalization;
using Kawal.Identity;
using Kawal.Monev.Features;
using Kawal.Regions;
using Kawal.Ui;

namespace Kawal.Monev.Reports;

/// <summary>
/// The monev reports (docs/monev.md): one region's commitments, indicators, ranking and open recommendations for a
/// month; and the national six-monthly report on all addressees that the coordinating minister sends the President.
/// </summary>
public sealed class MonevReports(IndicatorQueries indicators, ScorecardQueries scorecards, CommitmentsHandler commitments, VisitsHandler visits, AddresseeCatalogue addressees,
    RegionLookup regions, TimeProvider time, DisclosureRule rule, ActorNames? actors = null)
{
    /// <summary>What a withheld figure shows (pages, reports, CSV), in both languages; <see cref="WithheldNote"/> explains it.</summary>
    public const string WithheldMark = "x";

    /// <summary>The legend of <see cref="WithheldMark"/>, in the reader's language.</summary>
    public static string WithheldNote(DisclosureRule rule) => L.T(
        $"x: dirahasiakan — angka dari kurang dari {rule.Threshold} orang, kasus atau tagihan, atau angka yang dapat dihitung kembali dari angka lain (kontrol pengungkapan).",
        $"x: withheld — a figure of fewer than {rule.Threshold} people, cases or bills, or one that other figures would give away (disclosure control).");

    /// <summary>A figure as shown: <see cref="WithheldMark"/> when withheld, else <see cref="Format(IndicatorDef, decimal?)"/>.</summary>
    public static string Format(IndicatorDef d, decimal? v, bool withheld) => withheld ? WithheldMark : Format(d, v);

    /// <summary>An index score as shown (one decimal); null is a withheld score.</summary>
    public static string Score(decimal? s) => s?.ToString("0.0", CultureInfo.GetCultureInfo(L.IsEnglish ? "en-GB" : "id-ID")) ?? WithheldMark;

    public static string Format(IndicatorDef d, decimal? v) => v is not { } x ? "–" : d.Unit switch
    {
        "rupiah" => new Rupiah((long)x).ToString(),
        "pct" => x.ToString("0.0", CultureInfo.GetCultureInfo("id-ID")) + " %",
        "year" => x.ToString("0", CultureInfo.InvariantCulture),
        _ => ((long)x).ToString("#,0", CultureInfo.InvariantCulture).Replace(',', '.'),
    };

    /// <summary>A commitment's or recommendation's status, in the reader's language (pages and reports).</summary>
    public static string StatusLabel(string s) => s switch
    {
        "draft" => L.T("draf", "draft"),
        "submitted" => L.T("diajukan", "submitted"),
        "verified" => L.T("diverifikasi provinsi", "verified by the province"),
        "accepted" => L.T("diterima", "accepted"),
        "returned" => L.T("dikembalikan", "returned"),
        "open" => L.T("terbuka", "open"),
        "in_progress" => L.T("dalam proses", "in progress"),
        "done" => L.T("selesai", "done"),
        _ => s,
    };

    public static string KindLabel(string k) => k switch
    {
        "regulation" => L.T("Regulasi daerah", "Regional regulation"),
        "apbd" => L.T("Alokasi APBD", "APBD allocation"),
        "ptsp" => L.T("Syarat PTSP", "PTSP licensing requirement"),
        "bumd" => L.T("Pendaftaran BUMD", "BUMD registration"),
        "census" => L.T("Pendataan non-ASN", "Non-ASN census"),
        _ => k,
    };

    /// <summary>The form of a regional regulation (CommitmentsHandler.RegTypes).</summary>
    public static string RegTypeLabel(string? t) => t switch
    {
        null or "" => "",
        "perda" => "Perda",
        "perkada" => "Perkada",
        "keputusan" => L.T("Keputusan kepala daerah", "Head of region's decree"),
        "surat_edaran" => L.T("Surat edaran", "Circular"),
        "instruksi" => L.T("Instruksi kepala daerah", "Head of region's instruction"),
        _ => t,
    };

    /// <summary>Where a regulation stands (CommitmentsHandler.RegStatuses).</summary>
    public static string RegStatusLabel(string? s) => s switch
    {
        null or "" => "",
        "draft" => L.T("rancangan", "draft"),
        "enacted" => L.T("ditetapkan", "enacted"),
        "revoked" => L.T("dicabut", "revoked"),
        _ => s,
    };

    /// <summary>A group of workers an APBD allocation covers (CommitmentsHandler.TargetGroupNames): the registry's categories, and BUMD staff.</summary>
    public static string TargetGroupLabel(string group) => group == "bumd" ? L.T("Pegawai BUMD", "BUMD employees") : Kawal.Registry.Pages.RegistryLabels.Category(group);

    /// <summary>The target groups as stored (<c>non_asn,vulnerable</c>) in words, or a dash.</summary>
    public static string TargetGroupsLabel(string? groups) =>
        string.IsNullOrWhiteSpace(groups) ? "–" : string.Join(", ", groups.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(TargetGroupLabel));

    /// <summary>A step in a commitment's workflow.</summary>
    public static string StepLabel(string step) => step switch
    {
        "create" => L.T("dibuat", "created"),
        "update" => L.T("diubah", "updated"),
        "submit" => L.T("diajukan", "submitted"),
        "verify" => L.T("diverifikasi", "verified"),
        "accept" => L.T("diterima", "accepted"),
        "return" => L.T("dikembalikan", "returned"),
        "reopen" => L.T("dibuka kembali", "reopened"),
        _ => step,
    };

    public static string Describe(CommitmentDto k) => k.Kind switch
    {
        "regulation" => $"{RegTypeLabel(k.RegType)} {k.RegNumber} ({Fmt.Date(k.RegDate, L.T("tanpa tanggal", "undated"))}): {k.RegTitle} – {RegStatusLabel(k.RegStatus)}",
        "apbd" => L.T($"{Fmt.Money(k.Amount ?? 0)} untuk {Fmt.Number(k.WorkersTargeted ?? 0)} pekerja ({TargetGroupsLabel(k.TargetGroups)})",
            $"{Fmt.Money(k.Amount ?? 0)} for {Fmt.Number(k.WorkersTargeted ?? 0)} workers ({TargetGroupsLabel(k.TargetGroups)})"),
        "ptsp" => k.PtspRequired == true ? L.T($"ya, {k.LegalBasis} sejak {Fmt.Date(k.EffectiveDate)}", $"yes, {k.LegalBasis} since {Fmt.Date(k.EffectiveDate)}") : L.T("tidak", "no"),
        "bumd" => L.T($"{k.BumdRegistered} dari {k.BumdTotal} BUMD terdaftar", $"{k.BumdRegistered} of {k.BumdTotal} BUMDs registered"),
        "census" => $"{Fmt.Number(k.CensusCount ?? 0)} non-ASN ({k.CensusSource})",
        _ => "",
    };

    /// <summary>The report's source, when and for whom it was made, and the data's date: at the foot of every page.</summary>
    private async Task<string> FootnoteAsync(string? asOf, Caller caller, CancellationToken ct) =>
        $"Sumber: registri kepesertaan dan buku iuran Kawal (BPJS Ketenagakerjaan), angkatan kerja BPS, kode wilayah Kemendagri. "
        + $"Data per {Fmt.Date(asOf, "–")}. Dibuat {Fmt.Time(time.GetUtcNow())} untuk {(actors is null ? caller.Actor : await actors.ShowAsync(caller.Actor, ct))}."
        + (caller.ExactFigures ? "" : " " + WithheldNote(rule));

    /// <summary>Reports are Indonesian documents whatever the reader's page language: labels and formats are taken in Indonesian.</summary>
    private static CultureScope Indonesian() => new CultureScope(CultureInfo.GetCultureInfo("id-ID"));

    private sealed class CultureScope : IDisposable
    {
        private readonly CultureInfo _previous = CultureInfo.CurrentUICulture;

        public CultureScope(CultureInfo culture) => CultureInfo.CurrentUICulture = culture;

        public void Dispose() => CultureInfo.CurrentUICulture = _previous;
    }

    public async Task<ReportDocument> RegionAsync(string code, Period period, Caller caller, CancellationToken ct = default)
    {
        using var indonesian = Indonesian();
        var set = await indicators.ForAsync(code, period, caller, ct);
        var region = (await regions.LoadAsync(ct)).Find(code)!;
        var level = region.Level;
        var board = await scorecards.ForAsync(level, level == Region.Regency ? region.ParentCode : null, period, caller, ct);
        var mine = board.Rows.FirstOrDefault(r => r.Code == code);
        var ks = caller.Has(Permission.MonevRead) ? await commitments.ListAsync(code, null, null, caller, ct) : [];
        var recs = caller.Has(Permission.MonevRead) ? (await visits.RecommendationsAsync(code, false, caller, ct)).Where(r => r.Status != "done").ToList() : [];
        var lines = new List<string>
        {
            $"{AddresseeLabel(region)} – periode {Month(period)} (peta {set.Layout} provinsi).",
            set.AsOf is null ? "Ringkasan bulan ini belum dihitung oleh Kawal." : $"Data registri dan tagihan per {Fmt.Date(set.AsOf)}, dihitung {Fmt.Time(set.RefreshedAt)}.",
            mine is null ? "Skor: –" : $"Skor indeks {Score(mine.Score)} ({mine.Band}), "
                + (level == Region.Regency
                    ? $"peringkat {mine.RankInProvince} dari {mine.ProvincePeers} kabupaten/kota di {(await regions.LoadAsync(ct)).Find(region.ParentCode!)?.Name ?? region.ParentCode} dan peringkat {mine.Rank} dari {board.Ranked} kabupaten/kota se-Indonesia"
                    : $"peringkat {mine.Rank} dari {board.Ranked} provinsi")
                + (mine.Change is { } ch ? $", perubahan {ch.ToString("+0.0;-0.0;0.0", CultureInfo.GetCultureInfo("id-ID"))} dari bulan sebelumnya." : "."),
        };
        var defs = IndicatorQueries.Definitions;
        var indicatorRows = defs.Where(d => set.Values[d.Key] is not null || !d.Key.StartsWith("participants.age.", StringComparison.Ordinal))
            .Select(d => (IReadOnlyList<string>)[d.LabelId, Format(d, set.Values[d.Key], set.Withheld.Contains(d.Key))]).ToList();
        var tables = new List<ReportTable>
        {
            new("indikator", "Indikator", ["Indikator", "Nilai"], indicatorRows, new HashSet<int> { 1 }, [4, 1.4]),
            new("komitmen", "Komitmen daerah", ["Tahun", "Jenis", "Status", "Isi", "Bukti"],
                ks.Select(k => (IReadOnlyList<string>)[k.FiscalYear.ToString(CultureInfo.InvariantCulture), KindLabel(k.Kind), StatusLabel(k.Status), Describe(k),
                    k.Evidence.Count.ToString(CultureInfo.InvariantCulture)]).ToList(), new HashSet<int> { 4 }, [0.6, 1.3, 1.2, 4, 0.6]),
            new("komponen", "Komponen skor", ["Komponen", "Nilai (0–100)", "Bobot"], mine is null ? [] : ComponentRows(mine.Components, board.Weights), new HashSet<int> { 1, 2 }, [3, 1, 1]),
            new("rekomendasi", "Rekomendasi terbuka", ["Rekomendasi", "Pemilik", "Tenggat", "Status"],
                recs.Select(r => (IReadOnlyList<string>)[r.Action, r.OwnerName, Fmt.Date(r.DueDate), r.Overdue ? "lewat tenggat" : StatusLabel(r.Status)]).ToList(), new HashSet<int>(), [4, 1.6, 1, 1]),
        };
        if (level == Region.Province)
        {
            var regencies = await scorecards.ForAsync(Region.Regency, code, period, caller, ct);
            tables.Add(new("kabupaten_kota", "Kabupaten/kota", ["Peringkat", "Kabupaten/kota", "Skor", "Pita"],
                regencies.Rows.Select(r => (IReadOnlyList<string>)[r.Rank.ToString(CultureInfo.InvariantCulture), r.Name, Score(r.Score), r.Band]).ToList(),
                new HashSet<int> { 0, 2 }, [0.8, 3, 1, 1]));
        }

        var charts = new List<ReportChart>
        {
            new("Peserta aktif per segmen", IndicatorQueries.Segments.Select(s => (s, (double)(set.Values[$"participants.{s}"] ?? 0), Shown(set, $"participants.{s}"))).ToList()),
            new("Peserta aktif per kategori", IndicatorQueries.Categories.Select(c => (defs.First(d => d.Key == $"participants.category.{c}").LabelId, (double)(set.Values[$"participants.category.{c}"] ?? 0),
                Shown(set, $"participants.category.{c}"))).ToList()),
        };
        return new ReportDocument($"Laporan Monev Inpres 2/2021 – {region.Name}", lines, charts, tables, await FootnoteAsync(set.AsOf, caller, ct));
    }

    /// <summary>The national six-monthly report: every addressee — central ones with their obligations, each province and regency/city with its score and key figures.</summary>
    public async Task<ReportDocument> NationalAsync(Period period, Caller caller, CancellationToken ct = default)
    {
        using var indonesian = Indonesian();
        caller.Demand(Permission.StatsRead);
        if (!caller.Scope.IsNational)
        {
            throw new ForbiddenException("the national report is for national roles; ask for your region's report") { Indonesian = "Laporan nasional hanya untuk peran tingkat nasional; unduh laporan wilayah Anda." };
        }

        var nation = await indicators.ForAsync(null, period, caller, ct);
        var provinces = await scorecards.ForAsync(Region.Province, null, period, caller, ct);
        var regencies = await scorecards.ForAsync(Region.Regency, null, period, caller, ct);
        var list = await addressees.ListAsync(Snapshot.MapDateOf(period), ct);
        var set = await regions.LoadAsync(ct);
        var half = period.Month <= 6 ? "semester I" : "semester II";
        var defs = IndicatorQueries.Definitions;
        var lines = new List<string>
        {
            $"Laporan enam bulanan Menko PMK kepada Presiden, {half} {period.Year}, keadaan {Month(period)} (peta {nation.Layout} provinsi).",
            $"Adresat: {list.Central} menteri/kepala lembaga pusat, {list.Governors} gubernur, {list.Regents} bupati, {list.Mayors} wali kota.",
            $"Peserta aktif {Shown(nation, "participants.total")}; cakupan penduduk bekerja {Shown(nation, "employed.coverage_pct")}.",
            nation.AsOf is null ? "Ringkasan bulan ini belum dihitung." : $"Data registri dan tagihan per {Fmt.Date(nation.AsOf)}.",
        };
        var key = new[] { "participants.total", "non_asn.coverage_pct", "vulnerable.covered", "employed.coverage_pct", "apbd.realisation_pct" };
        var values = await indicators.ForManyAsync(provinces.Rows.Select(p => p.Code).ToList(), period, caller, ct);
        var provinceRows = provinces.Rows.Select(p => (IReadOnlyList<string>)[p.Rank.ToString(CultureInfo.InvariantCulture), p.Name, Score(p.Score), p.Band,
            .. key.Select(k => Format(defs.First(d => d.Key == k), values[p.Code].Values[k], values[p.Code].IsWithheld(k)))]).ToList();

        var tables = new List<ReportTable>
        {
            new("pusat", "Adresat pusat dan kewajibannya", ["Adresat", "Kewajiban"],
                list.Items.Where(i => i.RegionCode is null).Select(i => (IReadOnlyList<string>)[i.Title, string.Join("; ", i.Obligations.Select(o => list.Obligations.First(x => x.Id == o).TextId))]).ToList(),
                new HashSet<int>(), [2, 4]),
            new("provinsi", "Gubernur: skor dan indikator", ["Peringkat", "Provinsi", "Skor", "Pita", "Peserta aktif", "Cakupan non-ASN", "Pekerja rentan", "Cakupan bekerja", "Realisasi APBD"],
                provinceRows, new HashSet<int> { 0, 2, 4, 5, 6, 7, 8 }, [0.7, 2.2, 0.8, 0.9, 1.2, 1, 1, 1, 1]),
            new("kabupaten_kota", "Bupati dan wali kota: skor", ["Peringkat", "Kabupaten/kota", "Provinsi", "Skor", "Pita"],
                regencies.Rows.Select(r => (IReadOnlyList<string>)[r.Rank.ToString(CultureInfo.InvariantCulture), r.Name, set.Find(r.ProvinceCode ?? "")?.Name ?? r.ProvinceCode ?? "", Score(r.Score), r.Band]).ToList(),
                new HashSet<int> { 0, 3 }, [0.8, 3, 0.8, 0.8, 0.8]),
        };
        var charts = new List<ReportChart>
        {
            new("Skor provinsi (10 teratas)", provinces.Rows.Take(10).Select(r => (r.Name, (double)(r.Score ?? 0), Score(r.Score))).ToList()),
            new("Peserta aktif per segmen", IndicatorQueries.Segments.Select(s => (s, (double)(nation.Values[$"participants.{s}"] ?? 0), Shown(nation, $"participants.{s}"))).ToList()),
        };
        return new ReportDocument($"Laporan Nasional Pelaksanaan Inpres 2/2021 – {half} {period.Year}", lines, charts, tables, await FootnoteAsync(nation.AsOf, caller, ct));
    }

    /// <summary>An indicator of a set as shown (withheld: <see cref="WithheldMark"/>).</summary>
    public static string Shown(IndicatorSetDto set, string key) => Format(IndicatorQueries.Definitions.First(d => d.Key == key), set.Values[key], set.Withheld.Contains(key));

    private static List<IReadOnlyList<string>> ComponentRows(ScoreComponents c, ScoreWeights w)
    {
        static string D(decimal? d) => Score(d);
        return
        [
            ["Regulasi", D(c.Regulation), D(w.Regulation)], ["Anggaran (APBD)", D(c.Budget), D(w.Budget)], ["Cakupan non-ASN", D(c.NonAsn), D(w.NonAsn)],
            ["Cakupan pekerja rentan", D(c.Vulnerable), D(w.Vulnerable)], ["Syarat PTSP", D(c.Ptsp), D(w.Ptsp)], ["Pertumbuhan kepesertaan", D(c.Growth), D(w.Growth)],
        ];
    }

    private static string AddresseeLabel(Region r) => r.Level == Region.Province ? $"Gubernur {r.Name}" : r.Type == "kota" ? $"Wali Kota – {r.Name}" : $"Bupati – {r.Name}";

    private static readonly string[] Months = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"];

    public static string Month(Period p) => $"{Months[p.Month - 1]} {p.Year}";
}
