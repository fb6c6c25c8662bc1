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
            throw new UsageException(errors[0].MessageEn, errors[0].Column);
        }

        await using var c = await db.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var now = time.GetUtcNow();
        var (result, rowErrors, payment) = await WriteAsync(c, tx, db.Dialect, caller, row, null, now, ct);
        if (result == RowResult.Rejected)
        {
            var e = rowErrors[0];
            throw e.Code switch
            {
                "payer.unknown" or "bill.unknown" => new NotFoundException(e.MessageEn),
                "reference.duplicate" => new ConflictException(e.MessageEn, "reference"),
                _ => new UsageException(e.MessageEn, e.Column),
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
                var results = new List<(RowResult, IReadOnlyList<RowError>)>(rows.Count);
                foreach (var r in rows)
                {
                    var (result, errors, _) = await WriteAsync(ctx.Connection, ctx.Transaction!, ctx.Dialect, ctx.Caller, r, ctx.ImportId, ctx.Now, token);
                    recorded |= result == RowResult.Created;

                    results.Add((result, errors));
                }

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

    private static async Task<(RowResult, IReadOnlyList<RowError>, Written?)> WriteAsync(DbConnection c, DbTransaction tx, ISqlDialect dialect, Caller caller, PaymentRow row,
        long? importId, DateTimeOffset now, CancellationToken ct)
    {
        RowError Error(string column, string code, string id, string en, string? value) => new(row.RowNumber, column, code, id, en, value);
        long? billId = null;
        long? payerId = null;
        string? region = null;
        if (row.Bill is { } number)
        {
            var bill = await c.QuerySingleOrDefaultAsync<(long Id, long PayerId, string PayerKey, string Region)?>(new CommandDefinition(
                "SELECT b.id, b.payer_id, p.payer_key, p.region_code FROM bills b JOIN payers p ON p.id = b.payer_id WHERE b.bill_number = @number", new { number }, tx, cancellationToken: ct));
            if (bill is null || !caller.Scope.Covers(bill.Value.Region) || (caller.EmployerNpp is not null))
            {
                return (RowResult.Rejected, [Error("bill", "bill.unknown", $"Tagihan {number} tidak ditemukan", $"No bill {number} is known", number)], null);
            }

            if (row.Payer is { } given && given != bill.Value.PayerKey)
            {
                return (RowResult.Rejected, [Error("bill", "bill.other_payer", $"Tagihan {number} milik {bill.Value.PayerKey}, bukan {given}", $"Bill {number} belongs to {bill.Value.PayerKey}, not {given}", number)], null);
            }

            (billId, payerId, region) = (bill.Value.Id, bill.Value.PayerId, bill.Value.Region);
        }
        else
        {
            var payer = await c.QuerySingleOrDefaultAsync<(long Id, string Region)?>(new CommandDefinition(
                "SELECT id, region_code FROM payers WHERE payer_key = @key", new { key = row.Payer }, tx, cancellationToken: ct));
            if (payer is null || !caller.Scope.Covers(payer.Value.Region))
            {
                return (RowResult.Rejected, [Error("payer", "payer.unknown", $"Pembayar {row.Payer} tidak dikenal (belum pernah ditagih)", $"Payer {row.Payer} is unknown (never billed)", row.Payer)], null);
            }

            (payerId, region) = (payer.Value.Id, payer.Value.Region);
        }

        var existing = await c.QuerySingleOrDefaultAsync<(long Id, long PayerId, long Amount, DateOnly PaidOn, long? BillId)?>(new CommandDefinition(
            "SELECT id, payer_id, amount, paid_on, bill_id FROM payments WHERE reference = @Reference", new { row.Reference }, tx, cancellationToken: ct));
        if (existing is { } e)
        {
            return e.PayerId == payerId && e.Amount == row.Amount && e.PaidOn == row.PaidOn && (billId is null || e.BillId == billId)
                ? (RowResult.Unchanged, [], new Written(e.Id, e.PayerId))
                : (RowResult.Rejected, [Error("reference", "reference.duplicate", $"Referensi {row.Reference} sudah dipakai untuk pembayaran lain", $"Reference {row.Reference} was already used for a different payment", row.Reference)], null);
        }

        var id = await c.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO payments (reference, payer_id, bill_id, amount, unallocated, paid_on, channel, import_id, recorded_by, recorded_at)
            VALUES (@Reference, @payerId, @billId, @Amount, @Amount, @PaidOn, @Channel, @importId, @Actor, @now) RETURNING id
            """, new { row.Reference, payerId, billId, row.Amount, row.PaidOn, row.Channel, importId, caller.Actor, now }, tx, cancellationToken: ct));
        await Ledger.ApplyCreditsAsync(c, tx, dialect, [payerId!.Value], ct);
        if (importId is null)
        {
            await AuditLog.AppendAsync(c, tx, caller, now, new AuditEvent("payment.record", "payment", id.ToString(CultureInfo.InvariantCulture), After: new
            {
                row.Reference, payerId, bill = row.Bill, row.Amount, paidOn = row.PaidOn.ToIso(), row.Channel,
            }, RegionCode: region), ct);
        }

        return (RowResult.Created, [], new Written(id, payerId.Value));
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
