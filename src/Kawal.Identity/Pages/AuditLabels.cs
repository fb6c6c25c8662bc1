using Kawal.Ui;

namespace Kawal.Identity;

/// <summary>
/// The audit log's action codes (<c>login.ok</c>, <c>participant.update</c>, <c>import.failed</c>) and entity types
/// (<c>compliance_case</c>) as words, in the reader's language: the one table the audit page reads. The codes themselves stay
/// in the log, the CSV export and the filter.
/// </summary>
public static class AuditLabels
{
    private static readonly Dictionary<string, (string Id, string En)> Actions = new(StringComparer.Ordinal)
    {
        ["login.ok"] = ("Masuk", "Signed in"), ["login.failed"] = ("Gagal masuk", "Sign-in failed"), ["login.locked"] = ("Akun dikunci setelah gagal masuk", "Account locked after failed sign-ins"),
        ["user.create"] = ("Akun dibuat", "Account created"), ["user.password"] = ("Kata sandi diganti", "Password changed"),
        ["user.enable"] = ("Akun diaktifkan", "Account enabled"), ["user.disable"] = ("Akun dinonaktifkan", "Account disabled"),
        ["api_key.create"] = ("Kunci API dibuat", "API key created"), ["api_key.revoke"] = ("Kunci API dicabut", "API key revoked"),
        ["audit.export"] = ("Log audit diunduh", "Audit log exported"),
        ["participant.create"] = ("Peserta didaftarkan", "Participant registered"), ["participant.update"] = ("Data peserta diubah", "Participant changed"),
        ["employer.create"] = ("Pemberi kerja didaftarkan", "Employer registered"), ["employer.update"] = ("Data pemberi kerja diubah", "Employer changed"),
        ["import.batch"] = ("Impor: satu kelompok baris disimpan", "Import: a batch of rows saved"), ["import.finish"] = ("Impor selesai", "Import finished"),
        ["import.dry_run"] = ("Berkas impor diperiksa", "Import file checked"), ["import.failed"] = ("Impor gagal", "Import failed"),
        ["import.report_download"] = ("Laporan impor diunduh", "Import report downloaded"),
        ["payment.record"] = ("Pembayaran iuran dicatat", "Contribution payment recorded"), ["billing.batch"] = ("Penagihan: satu kelompok tagihan dibuat", "Billing: a batch of bills made"),
        ["billing.finish"] = ("Penagihan selesai", "Billing finished"), ["arrears.status"] = ("Kepesertaan disesuaikan karena tunggakan", "Memberships changed for arrears"),
        ["claim.submit"] = ("Klaim diajukan", "Claim submitted"), ["claim.refused"] = ("Klaim ditolak aturan", "Claim refused by a rule"),
        ["claim.verify"] = ("Klaim diverifikasi", "Claim verified"), ["claim.approve"] = ("Klaim disetujui", "Claim approved"), ["claim.pay"] = ("Klaim dibayar", "Claim paid"),
        ["claim.reject"] = ("Klaim ditolak", "Claim rejected"), ["claim.handover"] = ("Klaim diserahkan", "Claim handed over"),
        ["pensions.run"] = ("Pembayaran pensiun bulanan", "Monthly pension run"), ["jht.returns"] = ("Pengembangan JHT dibukukan", "JHT returns posted"),
        ["jht.rate"] = ("Tingkat pengembangan JHT ditetapkan", "JHT rate set"), ["jht.post"] = ("Saldo JHT dibukukan", "JHT balance posted"),
        ["compliance.detect"] = ("Deteksi ketidakpatuhan", "Non-compliance detection"), ["compliance.check"] = ("Pemeriksaan kepatuhan", "Compliance check"),
        ["compliance.recovery"] = ("Tunggakan dipulihkan", "Arrears recovered"), ["compliance.warning1"] = ("Kasus: Teguran I", "Case: warning letter 1"),
        ["compliance.warning2"] = ("Kasus: Teguran II", "Case: warning letter 2"), ["compliance.skk"] = ("Kasus: SKK ke kejaksaan", "Case: SKK to the prosecutors"),
        ["compliance.closed"] = ("Kasus ditutup", "Case closed"), ["compliance.updated"] = ("Kasus: bukti diperbarui", "Case: evidence updated"),
        ["compliance.sanction"] = ("Kasus: sanksi TMP2T", "Case: TMP2T sanction"), ["compliance.tmp2t"] = ("Kasus: sanksi TMP2T", "Case: TMP2T sanction"),
        ["compliance.summons"] = ("Kasus: pemanggilan", "Case: summons"), ["compliance.agreement_full"] = ("Kasus: kesepakatan bayar lunas", "Case: agreement to pay in full"),
        ["compliance.agreement_instalments"] = ("Kasus: kesepakatan bayar bertahap", "Case: agreement to pay in instalments"),
        ["compliance.lawsuit"] = ("Kasus: gugatan", "Case: lawsuit"), ["compliance.note"] = ("Kasus: catatan", "Case: note"),
        ["commitment.create"] = ("Komitmen dibuat", "Commitment created"), ["commitment.update"] = ("Komitmen diubah", "Commitment changed"),
        ["commitment.submit"] = ("Komitmen diajukan", "Commitment submitted"), ["commitment.verify"] = ("Komitmen diverifikasi", "Commitment verified"),
        ["commitment.accept"] = ("Komitmen diterima", "Commitment accepted"), ["commitment.return"] = ("Komitmen dikembalikan", "Commitment returned"),
        ["commitment.reopen"] = ("Komitmen dibuka kembali", "Commitment reopened"), ["commitment.evidence"] = ("Bukti komitmen diunggah", "Commitment evidence uploaded"),
        ["monev.refresh"] = ("Ringkasan monev diperbarui", "Monev summary refreshed"), ["monev_year.deadline"] = ("Tenggat tahun anggaran ditetapkan", "Fiscal year deadline set"),
        ["monev_year.reopen"] = ("Tahun anggaran dibuka kembali", "Fiscal year reopened"), ["visit.record"] = ("Kunjungan monev dicatat", "Monitoring visit recorded"),
        ["recommendation.follow_up"] = ("Tindak lanjut rekomendasi", "Recommendation followed up"),
    };

    private static readonly Dictionary<string, (string Id, string En)> Entities = new(StringComparer.Ordinal)
    {
        ["user"] = ("Akun", "Account"), ["api_key"] = ("Kunci API", "API key"), ["audit_log"] = ("Log audit", "Audit log"), ["participant"] = ("Peserta", "Participant"),
        ["employer"] = ("Pemberi kerja", "Employer"), ["memberships"] = ("Kepesertaan", "Memberships"), ["import"] = ("Impor", "Import"), ["payment"] = ("Pembayaran", "Payment"),
        ["billing_run"] = ("Penagihan", "Billing run"), ["claim"] = ("Klaim", "Claim"), ["pension_run"] = ("Pembayaran pensiun", "Pension run"), ["jht_entries"] = ("Buku JHT", "JHT ledger"), ["jht_rate"] = ("Tingkat pengembangan JHT", "JHT rate"),
        ["compliance_case"] = ("Kasus kepatuhan", "Compliance case"), ["compliance_cases"] = ("Kasus kepatuhan", "Compliance cases"), ["commitment"] = ("Komitmen", "Commitment"),
        ["monev_summary"] = ("Ringkasan monev", "Monev summary"), ["monev_year"] = ("Tahun anggaran monev", "Monev fiscal year"), ["visit"] = ("Kunjungan", "Visit"),
        ["recommendation"] = ("Rekomendasi", "Recommendation"),
    };

    /// <summary>An action in words; an unknown code as it is.</summary>
    public static string Action(string action) => Actions.TryGetValue(action, out var l) ? L.T(l.Id, l.En) : action;

    /// <summary>An entity type in words; an unknown one as it is.</summary>
    public static string Entity(string entityType) => Entities.TryGetValue(entityType, out var l) ? L.T(l.Id, l.En) : entityType;

    /// <summary>Every action code with a label (the tests check the code's audit events against it).</summary>
    public static IReadOnlyCollection<string> KnownActions => Actions.Keys;
}
