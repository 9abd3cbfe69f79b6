using System.Security.Cryptography;
using System.Text;
using Hft.Configuration;

namespace Hft.Auth;

/// <summary>API keys as configured: only their SHA-256 is stored; a presented key is hashed and compared in constant time.</summary>
public sealed class ApiKeyStore
{
    private readonly List<(byte[] Hash, string Account, string Role)> _keys = new();

    public ApiKeyStore(IEnumerable<ApiKeyConfig> keys)
    {
        foreach (var k in keys) _keys.Add((Convert.FromHexString(k.Sha256), k.Account, k.Role));
    }

    public static string HashHex(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public bool TryResolve(string presented, out string account, out string role)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        foreach (var (stored, acc, r) in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(stored, hash))
            {
                account = acc;
                role = r;
                return true;
            }
        }
        account = role = "";
        return false;
    }
}
