namespace Kawal.Registry.Domain;

/// <summary>
/// KPJ (participant card number): 11 digits. Kawal issues 10 digits from the participant's sequence number
/// (1,000,000,000 + id) and a Luhn check digit, so numbers are unique and a typo is caught.
/// </summary>
public static class Kpj
{
    public static string For(long participantId)
    {
        var body = (1_000_000_000L + participantId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return body + CheckDigit(body);
    }

    public static bool IsValid(string? kpj) =>
        kpj is { Length: 11 } && kpj.All(char.IsAsciiDigit) && CheckDigit(kpj[..10]) == kpj[10];

    private static char CheckDigit(string body)
    {
        var sum = 0;
        for (var i = 0; i < body.Length; i++)
        {
            var d = body[body.Length - 1 - i] - '0';
            if (i % 2 == 0)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
        }

        return (char)('0' + ((10 - (sum % 10)) % 10));
    }
}
