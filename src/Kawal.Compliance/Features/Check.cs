using System.Security.Cryptography;
using System.Text;
using Dapper;
using Kawal.Data;
using Kawal.Identity;
using Kawal.Rules;

namespace Kawal.Compliance.Features;

/// <summary>
/// Kawal's signing key for compliance answers: ECDSA P-256, kept as PEM in the keys folder (created on first use, owner
/// read/write only). The public key is published at <c>GET /api/v1/compliance/public-key</c>; its id is the first 16
/// hex digits of the SHA-256 of the public key (SubjectPublicKeyInfo, DER).
/// </summary>
public sealed class ComplianceSigner : IDisposable
{
    private readonly ECDsa _key;

    private ComplianceSigner(ECDsa key)
    {
        _key = key;
        var spki = key.ExportSubjectPublicKeyInfo();
        KeyId = Convert.ToHexStringLower(SHA256.HashData(spki))[..16];
        PublicKeyPem = key.ExportSubjectPublicKeyInfoPem();
    }

    public string KeyId { get; }

    public string PublicKeyPem { get; }

    public static ComplianceSigner LoadOrCreate(string path)
    {
        var key = ECDsa.Create();
        if (File.Exists(path))
        {
            key.ImportFromPem(File.ReadAllText(path));
            return new ComplianceSigner(key);
        }

        key.GenerateKey(ECCurve.NamedCurves.nistP256);
        if (!SecretFiles.TryCreate(path, key.ExportPkcs8PrivateKeyPem()))
        {
            key.ImportFromPem(File.ReadAllText(path)); // another process created it first
        }

        return new ComplianceSigner(key);
    }

    /// <summary>ECDSA P-256 over SHA-256, DER-encoded (what <c>openssl dgst -sha256 -verify</c> expects), base64.</summary>
    public string Sign(byte[] data) => Convert.ToBase64String(_key.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));

    public void Dispose() => _key.Dispose();
}

/// <summary>
/// The licensing check (PTSP/OSS): is a business compliant? <c>not_registered</c> when no employer has the NIB/NPP;
/// <c>non_compliant</c> when contributions are overdue by <c>arrears.inactive.months</c> or more, a TMP2T sanction is
/// in force, or the employer is not active; else <c>compliant</c>. The answer is signed; every check is audited.
/// </summary>
public sealed class ComplianceCheck(Database db, ComplianceSigner signer, TimeProvider time)
{
    private sealed record Signed(string Status, string Query, string? Name, string? Npp, string? Nib, long ActiveWorkers, IReadOnlyList<string> Programmes, long Arrears, int ArrearsMonths,
        string? Sanction, IReadOnlyList<string> Reasons, string AsOf, string KeyId);

    public async Task<CheckDto> CheckAsync(string? nib, string? npp, Caller caller, CancellationToken ct = default)
    {
        caller.Demand(Permission.ComplianceCheck);
        if (string.IsNullOrWhiteSpace(nib) == string.IsNullOrWhiteSpace(npp))
        {
            throw new UsageException("give exactly one of nib (13 digits) or npp", "nib") { Indonesian = "Isi salah satu saja: NIB (13 angka) atau NPP." };
        }

        var query = nib is { Length: > 0 } ? "nib:" + nib.Trim() : "npp:" + npp!.Trim();
        if (nib is { Length: > 0 } && (nib.Trim().Length != 13 || !nib.Trim().All(char.IsAsciiDigit)))
        {
            throw new UsageException($"nib must be 13 digits, not '{nib}'", "nib") { Indonesian = $"NIB harus 13 angka, bukan '{nib}'." };
        }

        var now = time.GetUtcNow();
        var today = time.Today();
        var months = (int)ParameterCatalogue.Default.Value("arrears.inactive.months", today);
        await using var c = await db.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var e = await c.QuerySingleOrDefaultAsync<(long Id, string Npp, string? Nib, string Name, string Status)?>(new CommandDefinition(
            "SELECT id, npp, nib, name, status FROM employers WHERE " + (nib is { Length: > 0 } ? "nib = @q" : "npp = @q"), new { q = query[4..] }, tx, cancellationToken: ct));
        Signed answer;
        if (e is not { } employer)
        {
            var known = nib is { Length: > 0 } ? await c.QuerySingleOrDefaultAsync<string?>(new CommandDefinition("SELECT name FROM business_registry WHERE nib = @q", new { q = query[4..] }, tx, cancellationToken: ct)) : null;
            answer = new Signed("not_registered", query, known, null, nib is { Length: > 0 } ? query[4..] : null, 0, [], 0, 0, null, ["no employer with this " + query[..3].ToUpperInvariant() + " is registered"],
                now.ToString("O", System.Globalization.CultureInfo.InvariantCulture), signer.KeyId);
        }
        else
        {
            var members = (await c.QueryAsync<string>(new CommandDefinition(
                "SELECT programmes FROM memberships WHERE employer_id = @Id AND status = 'active' AND valid_from <= @today AND (valid_to IS NULL OR valid_to > @today)",
                new { employer.Id, today }, tx, cancellationToken: ct))).ToList();
            var programmes = members.SelectMany(p => p.Split(',')).Select(p => p.Trim()).Where(p => p.Length > 0).Distinct()
                .OrderBy(p => Array.IndexOf(ProgrammeOrder, p)).ToList();
            var overdue = (await c.QueryAsync<(DateOnly Due, long Open)>(new CommandDefinition(
                """
                SELECT b.due_date, b.amount - b.paid FROM bills b JOIN payers p ON p.id = b.payer_id
                WHERE p.kind = 'employer' AND p.reference = @Npp AND b.amount > 0 AND b.paid < b.amount AND b.due_date < @today
                """, new { employer.Npp, today }, tx, cancellationToken: ct))).ToList();
            var oldest = overdue.Count == 0 ? (DateOnly?)null : overdue.Min(o => o.Due);
            var monthsOverdue = oldest is { } o ? ((today.Year - o.Year) * 12) + today.Month - o.Month - (today.Day < o.Day ? 1 : 0) : 0;
            var sanction = await c.QuerySingleOrDefaultAsync<(string Basis, DateOnly Start)?>(new CommandDefinition(
                "SELECT basis, start_date FROM sanctions WHERE subject_key = @key AND end_date IS NULL ORDER BY start_date LIMIT 1", new { key = "npp:" + employer.Npp }, tx, cancellationToken: ct));
            var reasons = new List<string>();
            if (monthsOverdue >= months)
            {
                reasons.Add($"contributions overdue {monthsOverdue} months (threshold {months}, arrears.inactive.months)");
            }

            if (sanction is { } s)
            {
                reasons.Add($"TMP2T sanction since {s.Start.ToIso()}");
            }

            if (employer.Status != "active")
            {
                reasons.Add($"employer {employer.Status}");
            }

            answer = new Signed(reasons.Count == 0 ? "compliant" : "non_compliant", query, employer.Name, employer.Npp, employer.Nib, members.Count, programmes, overdue.Sum(x => x.Open),
                monthsOverdue, sanction is { } z ? $"TMP2T since {z.Start.ToIso()}: {z.Basis}" : null, reasons, now.ToString("O", System.Globalization.CultureInfo.InvariantCulture), signer.KeyId);
        }

        var bytes = Encoding.UTF8.GetBytes(Json.Write(answer));
        await AuditLog.AppendAsync(c, tx, caller, now, new AuditEvent("compliance.check", "employer", query, After: new { answer.Status, answer.Reasons }), ct);
        await tx.CommitAsync(ct);
        return new CheckDto(answer.Status, answer.Query, answer.Name, answer.Npp, answer.Nib, answer.ActiveWorkers, answer.Programmes, answer.Arrears, answer.ArrearsMonths, answer.Sanction,
            answer.Reasons, answer.AsOf, answer.KeyId, Convert.ToBase64String(bytes), signer.Sign(bytes));
    }

    private static readonly string[] ProgrammeOrder = ["JKK", "JKM", "JHT", "JP", "JKP"];
}
