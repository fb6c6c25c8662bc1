namespace Kawal.Identity;

/// <summary>
/// The password policy (docs/security.md): at least 12 characters, letters and digits, not the username, not a
/// commonly used password. Checked when a password is set, never on login.
/// </summary>
public static class PasswordPolicy
{
    public const int MinLength = 12;

    private static readonly HashSet<string> Common = new(StringComparer.OrdinalIgnoreCase)
    {
        "password1234", "password12345", "123456789012", "qwerty123456", "admin1234567", "administrator1", "bpjs12345678",
        "jamsostek123", "indonesia123", "indonesia2021", "kawal1234567", "passw0rd1234", "welcome12345", "iloveyou1234",
    };

    /// <summary>Null when acceptable; otherwise why not, in English and in Indonesian.</summary>
    public static (string En, string Id)? Check(string password, string username)
    {
        if (password.Length < MinLength)
        {
            return ($"the password must have at least {MinLength} characters", $"Kata sandi paling sedikit {MinLength} karakter.");
        }

        if (!password.Any(char.IsLetter) || !password.Any(char.IsDigit))
        {
            return ("the password must contain letters and digits", "Kata sandi harus berisi huruf dan angka.");
        }

        if (password.Contains(username, StringComparison.OrdinalIgnoreCase))
        {
            return ("the password must not contain the username", "Kata sandi tidak boleh memuat nama pengguna.");
        }

        if (Common.Contains(password) || password.Distinct().Count() < 5)
        {
            return ("the password is too common or too repetitive", "Kata sandi terlalu umum atau terlalu berulang; pilih yang lain.");
        }

        return null;
    }
}
