using System.Security.Cryptography;

namespace Kawal.Identity;

/// <summary>
/// The secret of the keyed audit chain and its checkpoints: 32 random bytes kept as hex in <c>audit.key</c> in the keys
/// folder (<c>Kawal:KeysPath</c>, like the compliance signing key), created on first use readable by its owner only
/// (0600). It is never stored in the database, so the database's owner cannot recompute a valid chain (docs/security.md).
/// </summary>
public static class AuditKey
{
    public const string FileName = "audit.key";

    public static byte[] LoadOrCreate(string path)
    {
        if (File.Exists(path))
        {
            return Read(path);
        }

        var key = RandomNumberGenerator.GetBytes(32);
        if (!SecretFiles.TryCreate(path, Convert.ToHexStringLower(key) + "\n"))
        {
            return Read(path); // another process created it first
        }

        return key;
    }

    private static byte[] Read(string path)
    {
        var text = File.ReadAllText(path).Trim();
        try
        {
            var key = Convert.FromHexString(text);
            if (key.Length >= 32)
            {
                return key;
            }
        }
        catch (FormatException)
        {
        }

        throw new KawalException($"{path} is not a Kawal audit key (64 hex digits expected)");
    }
}
