using System.Data.Common;
using Dapper;
using Kawal.Data;

namespace Kawal.Contributions.Features;

/// <summary>
/// Who a bill is addressed to, keyed by a stable text: <c>employer:NPP</c>, <c>self:KPJ</c> (or <c>self:P{id}</c> without
/// a KPJ), <c>apbd:35.07</c>, <c>apbdes:35.07.01.2001</c>, <c>csr:35.07:NAME</c>, <c>baznas:35.07</c>. The payer's region
/// scopes who may see its bills: the employer's region, the budget's region (a village budget: its regency), the
/// membership's region for the others. A self-paying participant is named by KPJ only, never by name.
/// </summary>
public sealed record PayerKey(string Key, string Kind, string? Reference, string Name, string RegionCode)
{
    internal static PayerKey For(MembershipToBill m) => m.PayerKind switch
    {
        "employer" when m.Npp is not null => new($"employer:{m.Npp}", "employer", m.Npp, m.EmployerName ?? m.Npp, m.EmployerRegion ?? m.RegionCode),
        "self" => m.Kpj is { } kpj ? new($"self:{kpj}", "self", kpj, $"Peserta KPJ {kpj}", m.RegionCode) : new($"self:P{m.ParticipantId}", "self", null, $"Peserta #{m.ParticipantId}", m.RegionCode),
        "apbd" => new($"apbd:{m.PayerRef}", "apbd", m.PayerRef, $"APBD {m.PayerRef}", m.PayerRef!),
        "apbdes" => new($"apbdes:{m.PayerRef}", "apbdes", m.PayerRef, $"APBDes {m.PayerRef}", Regency(m.PayerRef!)),
        "csr" => new($"csr:{m.RegionCode}:{m.PayerRef}", "csr", m.PayerRef, $"CSR {m.PayerRef}", m.RegionCode),
        "baznas" => new($"baznas:{m.RegionCode}", "baznas", null, $"BAZNAS {m.RegionCode}", m.RegionCode),
        _ => throw new KawalException($"membership {m.Id} has payer '{m.PayerKind}' without the employer it names"),
    };

    private static string Regency(string code) => code.Length >= 5 ? code[..5] : code;
}

/// <summary>Finds payers by key, creating those the ledger has not seen yet (safe against a concurrent creator).</summary>
internal static class PayerStore
{
    /// <summary>Each key's payer id and region, creating the payers not in the ledger yet.</summary>
    public static async Task<Dictionary<string, (long Id, string Region)>> ResolveAsync(DbConnection c, DbTransaction tx, ISqlDialect dialect, IReadOnlyCollection<PayerKey> keys,
        DateTimeOffset now, CancellationToken ct)
    {
        var wanted = keys.DistinctBy(k => k.Key).ToList();
        var found = await FindAsync(c, tx, dialect, wanted.Select(k => k.Key).ToList(), ct);
        var missing = wanted.Where(k => !found.ContainsKey(k.Key)).ToList();
        if (missing.Count > 0)
        {
            // The rows this statement inserts say their ids; a payer another process created meanwhile (a conflict) is found.
            foreach (var (id, key, region) in await MultiRow.InsertIgnoringConflictsAsync<(long Id, string Key, string Region)>(c, tx, "payers",
                ["payer_key", "kind", "reference", "name", "region_code", "created_at"],
                missing.Select(k => new object?[] { k.Key, k.Kind, k.Reference, k.Name, k.RegionCode, now }).ToList(), "id, payer_key, region_code", ct))
            {
                found[key] = (id, region);
            }

            var raced = missing.Where(k => !found.ContainsKey(k.Key)).Select(k => k.Key).ToList();
            if (raced.Count > 0)
            {
                foreach (var (key, payer) in await FindAsync(c, tx, dialect, raced, ct))
                {
                    found[key] = payer;
                }
            }
        }

        return found;
    }

    private static async Task<Dictionary<string, (long Id, string Region)>> FindAsync(DbConnection c, DbTransaction tx, ISqlDialect dialect, IReadOnlyCollection<string> keys,
        CancellationToken ct)
    {
        var rows = await c.QueryAsync<(long Id, string Key, string Region)>(new CommandDefinition(
            $"SELECT id, payer_key, region_code FROM {dialect.FromKeys("payers", "payer_key", "@keys")}", new { keys = dialect.ListValue(keys) }, tx, cancellationToken: ct));
        return rows.ToDictionary(r => r.Key, r => (r.Id, r.Region), StringComparer.Ordinal);
    }
}
