using Kawal.Registry.Domain;
using Kawal.Regions;
using Kawal.Rules;

namespace Kawal.Registry.Import;

/// <summary>
/// Checks one participants row without the database (regions snapshot, rules catalogue, today). Every problem of the
/// row is reported, each with its column, code and message; checks that need the registry (employer) come later.
/// </summary>
public sealed class ParticipantRowValidator(RegionSet regions, DateOnly today)
{
    private static readonly string[] OptionalColumns = ["category", "occupation", "payer", "programmes", "phone", "domicile_region_code", "end_date"];

    public (ParticipantRow? Row, List<RowError> Errors) Validate(TabularRow row, ColumnMap map)
    {
        var errors = new List<RowError>();
        void Fail(string column, string code, string id, string en) => errors.Add(new RowError(row.Number, column, code, id, en, map.Get(row, column)));

        var nik = ValidateNik(row, map, Fail);
        var name = map.Get(row, "name");
        if (name.Length == 0)
        {
            Fail("name", "required", "Nama wajib diisi", "Name is required");
        }
        else if (name.Length > 200)
        {
            Fail("name", "name.too_long", "Nama lebih dari 200 karakter", "Name is longer than 200 characters");
        }

        var segment = map.Get(row, "segment").ToUpperInvariant();
        if (!Codes.Segments.Contains(segment))
        {
            Fail("segment", "segment.unknown", "Segmen harus PU, BPU, JAKON atau PMI", "Segment must be PU, BPU, JAKON or PMI");
        }

        var npp = map.Get(row, "employer_npp");
        if (segment == "PU" && npp.Length == 0)
        {
            Fail("employer_npp", "employer.required", "Peserta PU wajib punya pemberi kerja (NPP)", "A PU membership needs an employer (NPP)");
        }
        else if (segment is "BPU" or "PMI" && npp.Length > 0)
        {
            Fail("employer_npp", "employer.not_allowed", $"Peserta {segment} tidak punya pemberi kerja", $"A {segment} membership has no employer");
        }

        var category = map.Get(row, "category").ToLowerInvariant() is { Length: > 0 } c ? c : "regular";
        if (!Codes.Categories.Contains(category))
        {
            Fail("category", "category.unknown", "Kategori tidak dikenal", "Unknown category");
        }

        var occupation = map.Get(row, "occupation").ToLowerInvariant() is { Length: > 0 } o ? o : null;
        if (category == "vulnerable" && occupation is null)
        {
            Fail("occupation", "occupation.required", "Pekerja rentan wajib punya pekerjaan (mis. farmer, fisher)", "A vulnerable worker needs an occupation (e.g. farmer, fisher)");
        }
        else if (occupation is not null && !Codes.Occupations.Contains(occupation))
        {
            Fail("occupation", "occupation.unknown", "Pekerjaan tidak dikenal", "Unknown occupation");
        }

        var payer = ValidatePayer(row, map, segment, npp, Fail);
        var start = ValidateDate(row, map, "start_date", required: true, Fail);
        DateOnly? end = null;
        if (map.Get(row, "end_date").Length > 0)
        {
            if (!Values.TryDate(map.Get(row, "end_date"), map.IsNumeric(row, "end_date"), out var e))
            {
                Fail("end_date", "date.format", "Tanggal harus TTTT-BB-HH atau HH/BB/TTTT", "The date must be YYYY-MM-DD or DD/MM/YYYY");
            }
            else if (start is { } s && e <= s)
            {
                Fail("end_date", "end_date.before_start", "Tanggal berakhir harus setelah tanggal mulai", "The end date must be after the start date");
            }
            else
            {
                end = e;
            }
        }

        var programmes = ValidateProgrammes(row, map, segment, Fail);
        var wage = ValidateWage(row, map, segment, start, Fail);
        var domicile = ValidateDomicile(row, map, nik, Fail);
        var phone = map.Get(row, "phone");
        if (phone.Length > 0 && !phone.All(ch => char.IsAsciiDigit(ch) || ch is '+' or '-' or ' '))
        {
            Fail("phone", "phone.format", "Nomor telepon hanya berisi angka, +, - dan spasi", "A phone number has only digits, +, - and spaces");
        }

        if (errors.Count > 0 || nik is null || start is null || payer is null || programmes is null || domicile is null)
        {
            return (null, errors);
        }

        var participant = new Participant(nik.Value, name, nik.Sex, nik.BirthDate, phone.Length == 0 ? null : phone, domicile);
        var membership = new Membership(segment, npp.Length == 0 ? null : npp, category, occupation, payer, programmes, wage, start.Value, end);
        var stated = new HashSet<string>(OptionalColumns.Where(map.Has), StringComparer.Ordinal);
        return (new ParticipantRow(row.Number, participant, membership, stated), errors);
    }

    private Nik? ValidateNik(TabularRow row, ColumnMap map, Action<string, string, string, string> fail)
    {
        var text = map.Get(row, "nik");
        if (map.IsNumeric(row, "nik"))
        {
            fail("nik", "nik.excel_number", "NIK tersimpan sebagai angka di Excel dan kehilangan digit; format kolom sebagai Teks", "The NIK is stored as an Excel number and loses digits; format the column as Text");
            return null;
        }

        var parsed = Nik.Parse(text, today);
        if (!parsed.IsOk)
        {
            fail("nik", parsed.Error!.Code, parsed.Error.MessageId, parsed.Error.MessageEn);
            return null;
        }

        var nik = parsed.Value;
        if (!regions.Exists(nik.ProvinceCode) || !regions.Exists(nik.RegencyCode))
        {
            fail("nik", "nik.unknown_region", $"Kode provinsi/kabupaten {nik.RegencyCode} pada NIK tidak ada di referensi wilayah", $"The province/regency code {nik.RegencyCode} in the NIK is not in the regions reference");
            return null;
        }

        if (map.Get(row, "birth_date").Length > 0)
        {
            var stated = ValidateDate(row, map, "birth_date", required: false, fail);
            if (stated is { } b && b != nik.BirthDate)
            {
                fail("birth_date", "birth_date.mismatch", $"Tanggal lahir tidak sesuai NIK ({nik.BirthDate.ToIso()})", $"The birth date disagrees with the NIK ({nik.BirthDate.ToIso()})");
            }
        }

        var sex = map.Get(row, "sex");
        if (sex.Length > 0)
        {
            var stated = Values.TrySex(sex);
            if (stated is null)
            {
                fail("sex", "sex.unknown", "Jenis kelamin harus L atau P", "Sex must be L or P (M or F)");
            }
            else if (stated != nik.Sex)
            {
                fail("sex", "sex.mismatch", "Jenis kelamin tidak sesuai NIK (tanggal lahir +40 untuk perempuan)", "The sex disagrees with the NIK (birth day + 40 for women)");
            }
        }

        return nik;
    }

    private DateOnly? ValidateDate(TabularRow row, ColumnMap map, string column, bool required, Action<string, string, string, string> fail)
    {
        var text = map.Get(row, column);
        if (text.Length == 0)
        {
            if (required)
            {
                fail(column, "required", "Tanggal wajib diisi", "The date is required");
            }

            return null;
        }

        if (!Values.TryDate(text, map.IsNumeric(row, column), out var date))
        {
            fail(column, "date.format", "Tanggal harus TTTT-BB-HH atau HH/BB/TTTT", "The date must be YYYY-MM-DD or DD/MM/YYYY");
            return null;
        }

        if (date > today)
        {
            fail(column, "date.future", "Tanggal di masa depan", "The date is in the future");
            return null;
        }

        return date;
    }

    private Payer? ValidatePayer(TabularRow row, ColumnMap map, string segment, string npp, Action<string, string, string, string> fail)
    {
        var text = map.Get(row, "payer");
        var payer = text.Length == 0 ? new Payer(segment is "PU" or "JAKON" ? "employer" : "self", null) : Payer.Parse(text);
        if (payer is null)
        {
            fail("payer", "payer.format", "Pembayar harus employer, self, apbd:KODE, apbdes:KODE, csr:NAMA atau baznas", "Payer must be employer, self, apbd:CODE, apbdes:CODE, csr:NAME or baznas");
            return null;
        }

        if (payer.Kind == "employer" && npp.Length == 0)
        {
            fail("payer", "payer.needs_employer", "Pembayar 'employer' memerlukan NPP pemberi kerja", "Payer 'employer' needs the employer's NPP");
        }

        if (payer.Kind is "apbd" or "apbdes")
        {
            var region = RegionCode.TryParse(payer.Reference, out var code) ? regions.Enclosing(code.Value) : null;
            var wantsExact = payer.Kind == "apbd";
            if (region is null || (wantsExact && !regions.Exists(payer.Reference!)) || (!wantsExact && code.Level < RegionLevel.District))
            {
                fail("payer", "payer.region_unknown", $"Kode wilayah anggaran {payer.Reference} tidak dikenal", $"The budget's region code {payer.Reference} is unknown");
            }
        }

        return payer;
    }

    private static string? ValidateProgrammes(TabularRow row, ColumnMap map, string segment, Action<string, string, string, string> fail)
    {
        if (!Enum.TryParse<Segment>(segment, out var s))
        {
            return null;
        }

        var text = map.Get(row, "programmes");
        try
        {
            var set = text.Length == 0 ? ProgrammeSets.Default(s) : ProgrammeSets.Parse(text);
            var extra = set & ~ProgrammeSets.Allowed(s);
            if (extra != Programmes.None)
            {
                fail("programmes", "programmes.not_allowed", $"Segmen {segment} tidak boleh ikut {ProgrammeSets.Format(extra)}", $"Segment {segment} cannot have {ProgrammeSets.Format(extra)}");
                return null;
            }

            return ProgrammeSets.Format(set);
        }
        catch (UsageException)
        {
            fail("programmes", "programmes.unknown", "Program harus di antara JKK, JKM, JHT, JP, JKP", "Programmes must be among JKK, JKM, JHT, JP, JKP");
            return null;
        }
    }

    private static long ValidateWage(TabularRow row, ColumnMap map, string segment, DateOnly? start, Action<string, string, string, string> fail)
    {
        var text = map.Get(row, "wage");
        if (text.Length == 0)
        {
            if (segment is "PU" or "BPU")
            {
                fail("wage", "wage.required", segment == "PU" ? "Upah wajib diisi untuk PU" : "Penghasilan wajib diisi untuk BPU", segment == "PU" ? "The wage is required for PU" : "The declared income is required for BPU");
            }

            return 0;
        }

        if (!Values.TryMoney(text, map.IsNumeric(row, "wage"), out var wage))
        {
            fail("wage", "wage.format", "Upah harus rupiah utuh, mis. 5000000 atau 5.000.000", "The wage must be whole rupiah, e.g. 5000000 or 5.000.000");
            return 0;
        }

        if (segment == "PU" && wage == 0)
        {
            fail("wage", "wage.required", "Upah PU harus lebih dari nol", "A PU wage must be above zero");
        }

        if (segment == "BPU" && start is { } d && ParameterCatalogue.Default["bpu.income.minimum"].TryAt(d) is { } min && wage < min.Value)
        {
            fail("wage", "wage.below_minimum", $"Penghasilan BPU di bawah minimum {new Rupiah((long)min.Value)}", $"BPU declared income is below the minimum {new Rupiah((long)min.Value)}");
        }

        return wage;
    }

    private string? ValidateDomicile(TabularRow row, ColumnMap map, Nik? nik, Action<string, string, string, string> fail)
    {
        var text = map.Get(row, "domicile_region_code");
        if (text.Length > 0)
        {
            if (regions.Find(text) is not { } r || r.Level != Kawal.Regions.Region.Regency)
            {
                fail("domicile_region_code", "region.unknown", "Kode kabupaten/kota domisili tidak dikenal", "Unknown regency/city code of domicile");
                return null;
            }

            return CurrentCode(r);
        }

        return nik is null ? null : regions.Find(nik.RegencyCode) is { } home ? CurrentCode(home) : null;
    }

    /// <summary>A retired code (e.g. a Papua regency before the 2022 split) is recorded under its successor.</summary>
    private string CurrentCode(Kawal.Regions.Region r) =>
        r.SuccessorCode is { } s && regions.Find(s) is { } next ? CurrentCode(next) : r.Code;
}
