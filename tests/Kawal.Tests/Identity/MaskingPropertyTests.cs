using System.Globalization;
using Kawal.Identity;

namespace Kawal.Tests.Identity;

/// <summary>
/// Masking cannot be undone. A NIK is region (6 digits) + birth date DDMMYY (day + 40 for women) + serial (4): the old
/// mask hid exactly the birth date and showed it beside the NIK. For generated people, everything a caller without
/// personal-data access is shown about a person (masked NIK, birth as shown, sex as shown, domicile) is the same for
/// many people with different NIKs, so no view determines one.
/// </summary>
public class MaskingPropertyTests
{
    private static readonly Caller Masked = Principals.Caller("user:monev", Role.NationalMonitor, null, null);
    private static readonly Caller Personal = Principals.Caller("user:kab", Role.RegencyOfficer, "35.07", null);

    private sealed record Person(string Nik, DateOnly Birth, string Sex, string Domicile);

    private static (string, string, string?, string) View(Caller c, Person p) => (c.ShowNik(p.Nik), c.ShowBirth(p.Birth), c.ShowSex(p.Sex), p.Domicile);

    private static Person Make(string regency, int district, DateOnly birth, string sex, int serial) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{regency}{district:00}{birth.Day + (sex == "F" ? 40 : 0):00}{birth.Month:00}{birth.Year % 100:00}{serial:0000}"), birth, sex, $"{regency[..2]}.{regency[2..]}");

    [Fact]
    public void No_masked_view_determines_the_nik_of_a_generated_person()
    {
        var random = new Random(20261207);
        for (var i = 0; i < 500; i++)
        {
            var regency = string.Create(CultureInfo.InvariantCulture, $"{random.Next(11, 95):00}{random.Next(1, 80):00}");
            var birth = new DateOnly(random.Next(1950, 2008), 1, 1).AddDays(random.Next(0, 365));
            var person = Make(regency, random.Next(1, 40), birth, random.Next(2) == 0 ? "F" : "M", random.Next(1, 9999));
            var view = View(Masked, person);
            Assert.DoesNotContain(person.Nik[4..], string.Join('|', view), StringComparison.Ordinal);

            // others who look exactly the same: another district, day of birth in the same year, sex and serial
            var twins = Enumerable.Range(0, 50).Select(_ => Make(regency, random.Next(1, 40), new DateOnly(birth.Year, 1, 1).AddDays(random.Next(0, 365)), random.Next(2) == 0 ? "F" : "M", random.Next(1, 9999)))
                .Where(t => t.Birth.Year == birth.Year && t.Nik != person.Nik).ToList();
            Assert.All(twins, t => Assert.Equal(view, View(Masked, t)));
            Assert.True(twins.Select(t => t.Nik).Distinct().Count() >= 45, "the view is shared by many NIKs");

            // with personal-data access, the person is shown whole (and distinguishable)
            Assert.Equal((person.Nik, birth.ToIso(), person.Sex, person.Domicile), View(Personal, person));
        }
    }

    [Fact]
    public void The_old_mask_beside_the_birth_date_gave_the_nik_back()
    {
        // the attack the tester ran, kept as the reason for the mask: first 6 + last 4 + birth date + sex = the NIK
        var person = Make("3507", 1, new DateOnly(1990, 5, 15), "F", 1);
        var old = person.Nik[..6] + "******" + person.Nik[12..];
        var rebuilt = old[..6] + string.Create(CultureInfo.InvariantCulture, $"{person.Birth.Day + 40:00}{person.Birth.Month:00}{person.Birth.Year % 100:00}") + old[12..];
        Assert.Equal(person.Nik, rebuilt);
        Assert.Equal("3507************", Masked.ShowNik(person.Nik));
    }
}
