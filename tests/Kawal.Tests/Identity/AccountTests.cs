using Dapper;
using Kawal.Data;
using Kawal.Identity;
using Kawal.Testing;

namespace Kawal.Tests.Identity;

public class AccountTests
{
    private static readonly Caller Root = Caller.Operator("root");

    [EngineTheory]
    public async Task Passwords_are_hashed_and_the_policy_is_enforced(Engine engine)
    {
        await using var t = await TestDatabase.MigratedAsync(engine);
        var users = new UserStore(t.Database, new FixedTime(DateTimeOffset.UnixEpoch.AddYears(56)));

        await users.AddAsync(new NewUser("Petugas.Malang", null, Role.RegencyOfficer, "35.07", null, "Rahasia-Kawal-2026"), Root);
        await using var c = await t.Database.OpenAsync();
        var hash = await c.QuerySingleAsync<string>("SELECT password_hash FROM users WHERE username = 'petugas.malang'");

        Assert.DoesNotContain("Rahasia", hash, StringComparison.Ordinal);
        Assert.StartsWith("AQAAAA", hash, StringComparison.Ordinal); // ASP.NET Core Identity v3 format (PBKDF2)
        Assert.Equal("password", (await Assert.ThrowsAsync<UsageException>(() => users.AddAsync(new NewUser("a.b", null, Role.Admin, null, null, "pendek1"), Root))).Field);
        Assert.Equal("password", (await Assert.ThrowsAsync<UsageException>(() => users.AddAsync(new NewUser("a.b", null, Role.Admin, null, null, "hanyahurufsaja"), Root))).Field);
        Assert.Equal("password", (await Assert.ThrowsAsync<UsageException>(() => users.AddAsync(new NewUser("kawal", null, Role.Admin, null, null, "kawal1234567"), Root))).Field);
        Assert.Equal("username", (await Assert.ThrowsAsync<ConflictException>(() => users.AddAsync(new NewUser("petugas.malang", null, Role.Admin, null, null, "Rahasia-Kawal-2026"), Root))).Field);
    }

    [Theory]
    [InlineData(Role.RegencyOfficer, "35", null)]
    [InlineData(Role.RegencyOfficer, null, null)]
    [InlineData(Role.ProvinceOfficer, "35.07", null)]
    [InlineData(Role.BpjsOfficer, null, null)]
    [InlineData(Role.Admin, "35", null)]
    [InlineData(Role.NationalMonitor, "35.07", null)]
    [InlineData(Role.Employer, null, null)]
    [InlineData(Role.RegencyOfficer, "35.07", "35070001")]
    public void A_role_gets_only_the_region_it_can_have(Role role, string? region, string? npp)
    {
        var e = Assert.Throws<UsageException>(() => Principals.CheckAssignment(role, region, npp));
        Assert.True(e.Field is "region" or "employer", e.Field);
    }

    [EngineTheory]
    public async Task An_unknown_region_is_refused(Engine engine)
    {
        await using var t = await TestDatabase.MigratedAsync(engine);
        var e = await Assert.ThrowsAsync<UsageException>(() =>
            new UserStore(t.Database, TimeProvider.System).AddAsync(new NewUser("x.y", null, Role.RegencyOfficer, "35.99", null, "Rahasia-Kawal-2026"), Root));
        Assert.Equal("region", e.Field);
    }

    [EngineTheory]
    public async Task Lockout_lasts_fifteen_minutes_and_a_new_password_ends_it(Engine engine)
    {
        await using var t = await TestDatabase.MigratedAsync(engine);
        var time = new FixedTime(new DateTimeOffset(2026, 11, 21, 8, 0, 0, TimeSpan.Zero));
        var users = new UserStore(t.Database, time);
        await users.AddAsync(new NewUser("petugas.malang", null, Role.RegencyOfficer, "35.07", null, "Rahasia-Kawal-2026"), Root);

        var outcomes = new List<LoginOutcome>();
        for (var i = 0; i < UserStore.MaxFailures; i++)
        {
            outcomes.Add((await users.SignInAsync("petugas.malang", "Salah-Sandi-2026")).Outcome);
        }

        var locked = await users.SignInAsync("petugas.malang", "Rahasia-Kawal-2026");
        time.Now = time.Now.AddMinutes(UserStore.LockoutMinutes - 1);
        var stillLocked = await users.SignInAsync("petugas.malang", "Rahasia-Kawal-2026");
        time.Now = time.Now.AddMinutes(1);
        var open = await users.SignInAsync("petugas.malang", "Rahasia-Kawal-2026");

        Assert.Equal([LoginOutcome.Invalid, LoginOutcome.Invalid, LoginOutcome.Invalid, LoginOutcome.Invalid, LoginOutcome.LockedOut], outcomes);
        Assert.Equal(LoginOutcome.LockedOut, locked.Outcome);
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 8, 15, 0, TimeSpan.Zero), locked.LockedUntil);
        Assert.Equal(LoginOutcome.LockedOut, stillLocked.Outcome);
        Assert.Equal(LoginOutcome.Success, open.Outcome);

        for (var i = 0; i < UserStore.MaxFailures; i++)
        {
            await users.SignInAsync("petugas.malang", "Salah-Sandi-2026");
        }

        var stampBefore = (await users.FindByNameAsync("petugas.malang"))!.SecurityStamp;
        await users.SetPasswordAsync("petugas.malang", "Sandi-Baru-Kawal-2027", Root);
        Assert.Equal(LoginOutcome.Success, (await users.SignInAsync("petugas.malang", "Sandi-Baru-Kawal-2027")).Outcome);
        Assert.NotEqual(stampBefore, (await users.FindByNameAsync("petugas.malang"))!.SecurityStamp);
    }

    [EngineTheory]
    public async Task Disabled_and_unknown_accounts_cannot_sign_in(Engine engine)
    {
        await using var t = await TestDatabase.MigratedAsync(engine);
        var users = new UserStore(t.Database, TimeProvider.System);
        await users.AddAsync(new NewUser("petugas.malang", null, Role.RegencyOfficer, "35.07", null, "Rahasia-Kawal-2026"), Root);
        await users.SetActiveAsync("petugas.malang", false, Root);

        Assert.Equal(LoginOutcome.Invalid, (await users.SignInAsync("petugas.malang", "Rahasia-Kawal-2026")).Outcome);
        Assert.Equal(LoginOutcome.Invalid, (await users.SignInAsync("tidak.ada", "Rahasia-Kawal-2026")).Outcome);
    }

    [Fact]
    public void Only_admins_manage_identity_and_a_caller_without_the_permission_is_refused()
    {
        var officer = Principals.Caller("user:x", Role.RegencyOfficer, "35.07", null);
        Assert.Throws<ForbiddenException>(() => officer.Demand(Permission.IdentityManage));
        Assert.Equal("3507************", Principals.Caller("key:m", Role.NationalMonitor, null, null).ShowNik("3507015505900001"));
        Assert.Equal("3507015505900001", officer.ShowNik("3507015505900001"));
    }
}
