using System.Data.Common;
using System.Globalization;
using Dapper;
using Kawal.Data;
using Kawal.Identity;
using Kawal.Registry.Domain;
using Kawal.Registry.Import;

namespace Kawal.Contributions.Features;

/// <summary>A payment as given by the API or a bank-statement row: the payer (key, or an NPP) or a bill number, or both.</summary>
public sealed record PaymentInput(string? Reference, string? Payer, string? Bill, long? Amount, string? Date, string? Channel);

/// <summary>A recorded payment and where its money went.</summary>
public sealed record PaymentResult(long Id, string Reference, string Payer, long Amount, string PaidOn, string Channel, bool Created, long Unallocated, IReadOnlyList<AllocationDto> Allocations);

public sealed record AllocationDto(string Bill, string Period, long Amount);

/// <summary>
/// Records payments: one by one (API, CLI) or from a bank statement (CSV/XLSX) through the registry's import runner,
/// with the same per-row error report and ledger. The external reference makes a payment idempotent: the same reference
/// with the same payer, amount and date is the same payment (unchanged); with anything different it is refused.
/// </summary>
public sealed class PaymentsHandler(Database db, TimeProvider time)
{
    public static readonly IReadOnlyList<ColumnSpec> Columns =
    [
        new("reference", true, ["referensi", "no_referensi", "ref", "nomor_referensi"], "the bank's unique reference of the transfer"),
        new("payer", false, ["pembayar", "npp", "kode_pembayar"], "payer key (employer:NPP, self:KPJ, apbd:CODE, apbdes:CODE, csr:REGION:NAME, baznas:REGION) or an employer's NPP; or give the bill"),
        new("bill", false, ["tagihan", "no_tagihan", "nomor_tagihan", "bill_number"], "bill number (IUR-…); the payment goes to it first"),
        new("amount", true, ["jumlah", "nominal", "jumlah_bayar"], "whole rupiah above zero, e.g. 1500000 or 1.500.000"),
        new("date", true, ["tanggal", "tanggal_bayar", "paid_on"], "payment date (YYYY-MM-DD or DD/MM/YYYY), not in the future"),
        new("channel", false, ["kanal", "bank", "saluran"], "optional: bank, virtual account, teller…; default bank"),
    ];

    internal sealed record PaymentRow(int RowNumber, string Reference, string? Payer, string? Bill, long Amount, DateOnly PaidOn, string Channel) : IImportRow;

    /// <summary>Records one payment; a <see cref="UsageException"/> names the field at fault.</summary>
    public async Task<PaymentResult> RecordAsync(PaymentInput input, Caller caller, CancellationToken ct = default)
    {
        caller.Demand(Permission.ContributionsWrite);
        return await RecordCoreAsync(input, caller, ct);
    }

    /// <summary>
    /// A recovery through a prosecutor (compliance module): recorded as a payment like any other, so that arrears fall and
    /// balances stay true; the prosecutor holds no contributions permission, so the compliance handler checks the case's
    /// office first and calls this on the prosecutor's behalf (audited under their name).
    /// </summary>
    public async Task<PaymentResult> RecordRecoveryAsync(PaymentInput input, Caller caller, CancellationToken ct = default)
    {
        caller.Demand(Permission.ComplianceProsecute);
        return await RecordCoreAsync(input, caller with { Scope = RegionScope.National }, ct);
    }

    private async Task<PaymentResult> RecordCoreAsync(PaymentInput input, Caller caller, CancellationToken ct)
    {
        var (row, errors) = Validate(1, input.Reference ?? "", input.Payer ?? "", input.Bill ?? "", input.Amount?.ToString(CultureInfo.InvariantCulture) ?? "", false, input.Date ?? "", false, input.Channel ?? "", time.Today());
        if (row is null)
        {
            throw new UsageException(errors[0].MessageEn, errors[0].Column) { Indonesian = errors[0].MessageId };
        }

        await using var c = await db.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var now = time.GetUtcNow();
        var (result, rowErrors, payment) = (await WriteAsync(c, tx, db.Dialect, caller, [row], null, now, ct))[0];
        if (result == RowResult.Rejected)
        {
            var e = rowErrors[0];
            throw e.Code switch
            {
                "payer.unknown" or "bill.unknown" => new NotFoundException(e.MessageEn) { Indonesian = e.MessageId },
                "reference.duplicate" => new ConflictException(e.MessageEn, "reference") { Indonesian = e.MessageId },
                _ => new UsageException(e.MessageEn, e.Column) { Indonesian = e.MessageId },
            };
        }

        await tx.CommitAsync(ct);
        await ArrearsStatus.RefreshAsync(c, db.Dialect, time.Today(), caller, now, ct, payment!.PayerId);
        return await DescribeAsync(c, payment.Id, result == RowResult.Created, ct);
    }

    /// <summary><c>kawal payments import FILE</c> and the API upload.</summary>
    public async Task<ImportSummary> ImportAsync(ImportRequest request, CancellationToken ct = default)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var today = time.Today();
        var recorded = false;
        var summary = await new ImportRunner(db, time).RunAsync<PaymentRow>(request, "payments", Columns,
            (row, map) =>
            {
                var (payment, errors) = Validate(row.Number, map.Get(row, "reference"), map.Get(row, "payer"), map.Get(row, "bill"), map.Get(row, "amount"), map.IsNumeric(row, "amount"),
                    map.Get(row, "date"), map.IsNumeric(row, "date"), map.Get(row, "channel"), today);
                if (payment is null)
                {
                    return (null, errors);
                }

                if (seen.TryGetValue(payment.Reference, out var first))
                {
                    return (null, [new RowError(row.Number, "reference", "duplicate_in_file", $"Referensi sama dengan baris {first}", $"Same reference as row {first}", payment.Reference)]);
                }

                seen[payment.Reference] = row.Number;
                return (payment, []);
            },
            async (ctx, rows, token) =>
            {
                var written = await WriteAsync(ctx.Connection, ctx.Transaction!, ctx.Dialect, ctx.Caller, rows, ctx.ImportId, ctx.Now, token);
                recorded |= written.Any(w => w.Result == RowResult.Created);
                var results = written.Select(w => (w.Result, w.Errors)).ToList();
                return results;
            }, ct, Permission.ContributionsWrite);
        if (!request.DryRun && recorded)
        {
            await using var c = await db.OpenAsync(ct);
            await ArrearsStatus.RefreshAsync(c, db.Dialect, today, request.Caller, time.GetUtcNow(), ct);
        }

        return summary;
    }

    internal static (PaymentRow? Row, List<RowError> Errors) Validate(int number, string reference, string payer, string bill, string amountText, bool amountNumeric,
        string dateText, bool dateNumeric, string channel, DateOnly today)
    {
        var errors = new List<RowError>();
        void Fail(string column, string code, string id, string en, string? value) => errors.Add(new RowError(number, column, code, id, en, value));
        if (reference.Length == 0)
        {
            Fail("reference", "required", "Referensi pembayaran wajib diisi", "The payment reference is required", reference);
        }
        else if (reference.Length > 100)
        {
            Fail("reference", "reference.too_long", "Referensi lebih dari 100 karakter", "The reference is longer than 100 characters", reference);
        }

        if (payer.Length == 0 && bill.Length == 0)
        {
            Fail("payer", "payer.required", "Isi pembayar atau nomor tagihan", "Give the payer or the bill number", payer);
        }

        long amount = 0;
        if (amountText.Length == 0)
        {
            Fail("amount", "required", "Jumlah wajib diisi", "The amount is required", amountText);
        }
        else if (amountText.TrimStart().StartsWith('-'))
        {
            Fail("amount", "amount.not_positive", "Jumlah harus lebih dari nol", "The amount must be above zero", amountText);
        }
        else if (!Values.TryMoney(amountText, amountNumeric, out amount))
        {
            Fail("amount", "amount.format", "Jumlah harus rupiah utuh, mis. 1500000 atau 1.500.000", "The amount must be whole rupiah, e.g. 1500000 or 1.500.000", amountText);
        }
        else if (amount <= 0)
        {
            Fail("amount", "amount.not_positive", "Jumlah harus lebih dari nol", "The amount must be above zero", amountText);
        }
        else if (amount > 1_000_000_000_000_000)
        {
            Fail("amount", "amount.too_large", "Jumlah tidak masuk akal", "The amount is implausibly large", amountText);
        }

        DateOnly date = default;
        if (dateText.Length == 0)
        {
            Fail("date", "required", "Tanggal bayar wajib diisi", "The payment date is required", dateText);
        }
        else if (!Values.TryDate(dateText, dateNumeric, out date))
        {
            Fail("date", "date.format", "Tanggal harus TTTT-BB-HH atau HH/BB/TTTT", "The date must be YYYY-MM-DD or DD/MM/YYYY", dateText);
        }
        else if (date > today)
        {
            Fail("date", "date.future", "Tanggal bayar di masa depan", "The payment date is in the future", dateText);
        }

        if (channel.Length > 50)
        {
            Fail("channel", "channel.too_long", "Kanal lebih dari 50 karakter", "The channel is longer than 50 characters", channel);
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var key = payer.Length == 0 ? null : payer.Contains(':', StringComparison.Ordinal) ? payer : $"employer:{payer}";
        return (new PaymentRow(number, reference, key, bill.Length == 0 ? null : bill, amount, date, channel.Length == 0 ? "bank" : channel), errors);
    }

    internal sealed record Written(long Id, long PayerId);

    private sealed class BillRef
    {
        public long Id { get; set; }
        public string Number { get; set; } = "";
        public long PayerId { get; set; }
        public string PayerKey { get; set; } = "";
        public string Region { get; set; } = "";
    }

    private sealed class PayerRef
    {
        public long Id { get; set; }
        public string Key { get; set; } = "";
        public string Region { get; set; } = "";
    }

    private sealed class Existing
    {
        public long Id { get; set; }
        public string Reference { get; set; } = "";
        public long PayerId { get; set; }
        public long Amount { get; set; }
        public DateOnly PaidOn { get; set; }
        public long? BillId { get; set; }
    }

    /// <summary>
    /// Writes a batch of payments set-based: the batch's bills, payers and references are each looked up in one query,
    /// the new payments inserted in one statement, and the payers' money allocated once for the batch
    /// (<see cref="Ledger.ApplyCreditsAsync"/>: a payment's named bill first, then the oldest due; older payments first).
    /// One result per row, in order.
    /// </summary>
    private static async Task<List<(RowResult Result, IReadOnlyList<RowError> Errors, Written? Payment)>> WriteAsync(DbConnection c, DbTransaction tx, ISqlDialect dialect, Caller caller,
        IReadOnlyList<PaymentRow> rows, long? importId, DateTimeOffset now, CancellationToken ct)
    {
        var numbers = rows.Where(r => r.Bill is not null).Select(r => r.Bill!).Distinct().ToList();
        var bills = numbers.Count == 0 ? [] : (await c.QueryAsync<BillRef>(new CommandDefinition(
            $"SELECT bills.id AS Id, bills.bill_number AS Number, bills.payer_id AS PayerId, p.payer_key AS PayerKey, p.region_code AS Region FROM {dialect.FromKeys("bills", "bill_number", "@numbers")} JOIN payers p ON p.id = bills.payer_id",
            new { numbers = dialect.ListValue(numbers) }, tx, cancellationToken: ct))).ToDictionary(b => b.Number, StringComparer.Ordinal);
        var keys = rows.Where(r => r.Bill is null && r.Payer is not null).Select(r => r.Payer!).Distinct().ToList();
        var payers = keys.Count == 0 ? [] : (await c.QueryAsync<PayerRef>(new CommandDefinition(
            $"SELECT id AS Id, payer_key AS Key, region_code AS Region FROM {dialect.FromKeys("payers", "payer_key", "@keys")}", new { keys = dialect.ListValue(keys) }, tx, cancellationToken: ct)))
            .ToDictionary(p => p.Key, StringComparer.Ordinal);
        var references = rows.Select(r => r.Reference).Distinct().ToList();
        var existing = (await c.QueryAsync<Existing>(new CommandDefinition(
            $"SELECT id AS Id, reference AS Reference, payer_id AS PayerId, amount AS Amount, paid_on AS PaidOn, bill_id AS BillId FROM {dialect.FromKeys("payments", "reference", "@references")}",
            new { references = dialect.ListValue(references) }, tx, cancellationToken: ct))).ToDictionary(e => e.Reference, StringComparer.Ordinal);

        var results = new List<(RowResult Result, IReadOnlyList<RowError> Errors, Written? Payment)>(rows.Count);
        var inserts = new List<(int Index, PaymentRow Row, long PayerId, long? BillId, string Region)>();
        foreach (var row in rows)
        {
            RowError Error(string column, string code, string id, string en, string? value) => new(row.RowNumber, column, code, id, en, value);
            (RowResult, IReadOnlyList<RowError>, Written?) Reject(RowError e) => (RowResult.Rejected, [e], null);
            long payerId;
            long? billId = null;
            string region;
            if (row.Bill is { } number)
            {
                if (!bills.TryGetValue(number, out var bill) || !caller.Scope.Covers(bill.Region) || caller.EmployerNpp is not null)
                {
                    results.Add(Reject(Error("bill", "bill.unknown", $"Tagihan {number} tidak ditemukan", $"No bill {number} is known", number)));
                    continue;
                }

                if (row.Payer is { } given && given != bill.PayerKey)
                {
                    results.Add(Reject(Error("bill", "bill.other_payer", $"Tagihan {number} milik {bill.PayerKey}, bukan {given}", $"Bill {number} belongs to {bill.PayerKey}, not {given}", number)));
                    continue;
                }

                (billId, payerId, region) = (bill.Id, bill.PayerId, bill.Region);
            }
            else
            {
                if (!payers.TryGetValue(row.Payer!, out var payer) || !caller.Scope.Covers(payer.Region))
                {
                    results.Add(Reject(Error("payer", "payer.unknown", $"Pembayar {row.Payer} tidak dikenal (belum pernah ditagih)", $"Payer {row.Payer} is unknown (never billed)", row.Payer)));
                    continue;
                }

                (payerId, region) = (payer.Id, payer.Region);
            }

            if (existing.TryGetValue(row.Reference, out var e))
            {
                results.Add(e.PayerId == payerId && e.Amount == row.Amount && e.PaidOn == row.PaidOn && (billId is null || e.BillId == billId)
                    ? (RowResult.Unchanged, [], new Written(e.Id, e.PayerId))
                    : Reject(Error("reference", "reference.duplicate", $"Referensi {row.Reference} sudah dipakai untuk pembayaran lain", $"Reference {row.Reference} was already used for a different payment", row.Reference)));
                continue;
            }

            inserts.Add((results.Count, row, payerId, billId, region));
            results.Add((RowResult.Created, [], null));
        }

        if (inserts.Count == 0)
        {
            return results;
        }

        var ids = await MultiRow.InsertAsync<long>(c, tx, "payments",
            ["reference", "payer_id", "bill_id", "amount", "unallocated", "paid_on", "channel", "import_id", "recorded_by", "recorded_at"],
            inserts.Select(x => new object?[] { x.Row.Reference, x.PayerId, x.BillId, x.Row.Amount, x.Row.Amount, x.Row.PaidOn, x.Row.Channel, importId, caller.Actor, now }).ToList(), "id", ct);
        for (var k = 0; k < inserts.Count; k++)
        {
            results[inserts[k].Index] = (RowResult.Created, [], new Written(ids[k], inserts[k].PayerId));
        }

        await Ledger.ApplyCreditsAsync(c, tx, dialect, inserts.Select(x => x.PayerId).Distinct().ToList(), ct);
        if (importId is null)
        {
            // One by one (API, CLI): each payment audited; an import is audited per batch by the import runner.
            foreach (var (index, row, payerId, billId, region) in inserts)
            {
                await AuditLog.AppendAsync(c, tx, caller, now, new AuditEvent("payment.record", "payment", results[index].Payment!.Id.ToString(CultureInfo.InvariantCulture), After: new
                {
                    row.Reference, payerId, bill = row.Bill, row.Amount, paidOn = row.PaidOn.ToIso(), row.Channel,
                }, RegionCode: region), ct);
            }
        }

        return results;
    }

    private static async Task<PaymentResult> DescribeAsync(DbConnection c, long id, bool created, CancellationToken ct)
    {
        var p = await c.QuerySingleAsync<(string Reference, string Payer, long Amount, DateOnly PaidOn, string Channel, long Unallocated)>(new CommandDefinition(
            "SELECT y.reference, p.payer_key, y.amount, y.paid_on, y.channel, y.unallocated FROM payments y JOIN payers p ON p.id = y.payer_id WHERE y.id = @id", new { id }, cancellationToken: ct));
        var allocations = (await c.QueryAsync<(string Bill, string Period, long Amount)>(new CommandDefinition(
            "SELECT b.bill_number, b.period, a.amount FROM allocations a JOIN bills b ON b.id = a.bill_id WHERE a.payment_id = @id ORDER BY a.id", new { id }, cancellationToken: ct)))
            .Select(a => new AllocationDto(a.Bill, a.Period, a.Amount)).ToList();
        return new PaymentResult(id, p.Reference, p.Payer, p.Amount, p.PaidOn.ToIso(), p.Channel, created, p.Unallocated, allocations);
    }
}
