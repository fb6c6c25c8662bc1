using System.Security.Cryptography;
using System.Text;
using Dapper;
using Kawal.Data;
using Kawal.Identity;
using Kawal.Rules;

namespace Kawal.Compliance.Features;

/// <summary>
/// Kawal's signing key for compliance answers: ECDSA P-256. The public key is published at
/// <c>GET /api/v1/compliance/public-key</c>; its id is the first 16 hex digits of the SHA-256 of the public key
/// (SubjectPublicKeyInfo, DER). Kept in the database (<see cref="ComplianceKeys"/>), shared by every node.
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

    internal string PrivateKeyPem => _key.ExportPkcs8PrivateKeyPem();

    /// <summary>A key from its PEM (PKCS#8 or SEC1 private key).</summary>
    public static ComplianceSigner FromPem(string pem)
    {
        var key = ECDsa.Create();
        key.ImportFromPem(pem);
        return new ComplianceSigner(key);
    }

    public static ComplianceSigner Generate() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256));

    /// <summary>ECDSA P-256 over SHA-256, DER-encoded (what <c>openssl dgst -sha256 -verify</c> expects), base64.</summary>
    public string Sign(byte[] data) => Convert.ToBase64String(_key.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));

    public void Dispose() => _key.Dispose();
}

/// <summary>
/// The compliance signing key of the database (table <c>compliance_signing_keys</c>), so that every node signs with it
/// and publishes its public key. Created once, by the first node that needs it: it inserts generation 1 (the others'
/// inserts do nothing) and every node reads back the newest generation. A key file a node kept in its keys folder
/// before (<c>compliance-signing.pem</c>) becomes that first key, so the published key does not change on upgrade.
/// </summary>
public sealed class ComplianceKeys(Database db, string? legacyKeyFile, TimeProvider time) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private ComplianceSigner? _current;

    /// <summary>The signing key (read once per process).</summary>
    public async Task<ComplianceSigner> CurrentAsync(CancellationToken ct = default)
    {
        if (_current is { } known)
        {
            return known;
        }

        await _gate.WaitAsync(ct);
        try
        {
            return _current ??= await LoadOrCreateAsync(ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<ComplianceSigner> LoadOrCreateAsync(CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        if (await NewestAsync(c, ct) is { } pem)
        {
            return ComplianceSigner.FromPem(pem);
        }

        using (var candidate = legacyKeyFile is not null && File.Exists(legacyKeyFile) ? ComplianceSigner.FromPem(await File.ReadAllTextAsync(legacyKeyFile, ct)) : ComplianceSigner.Generate())
        {
            await c.ExecuteAsync(new CommandDefinition(
                "INSERT INTO compliance_signing_keys (generation, key_id, private_key_pem, created_ms) VALUES (1, @KeyId, @Pem, @Now) ON CONFLICT (generation) DO NOTHING",
                new { candidate.KeyId, Pem = candidate.PrivateKeyPem, Now = time.GetUtcNow().ToUnixTimeMilliseconds() }, cancellationToken: ct));
        }

        // This node's key, or the one another node inserted first.
        return ComplianceSigner.FromPem(await NewestAsync(c, ct) ?? throw new KawalException("the compliance signing key could not be stored"));
    }

    private static Task<string?> NewestAsync(System.Data.Common.DbConnection c, CancellationToken ct) =>
        c.QuerySingleOrDefaultAsync<string>(new CommandDefinition("SELECT private_key_pem FROM compliance_signing_keys ORDER BY generation DESC LIMIT 1", cancellationToken: ct));

    public void Dispose()
    {
        _current?.Dispose();
        _gate.Dispose();
    }
}

/// <summary>
/// The licensing check (PTSP/OSS): is a business compliant? <c>not_registered</c> when no employer has the NIB/NPP;
/// <c>non_compliant</c> when contributions are overdue by <c>arrears.inactive.months</c> or more, a TMP2T sanction is
/// in force, or the employer is not active; else <c>compliant</c>. The answer is signed; every check is audited.
/// </summary>
public sealed class ComplianceCheck(Database db, ComplianceKeys keys, TimeProvider time)
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

        var signer = await keys.CurrentAsync(ct); // before the transaction: it may insert the key on its own connection
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
