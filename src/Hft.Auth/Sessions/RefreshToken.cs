using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Hft.Auth.Sessions;

/// <summary>
/// Refresh tokens are <c>&lt;session id&gt;.&lt;secret&gt;</c>: 16 random bytes of session id and 32 of secret, both
/// base64url. The session id lets the store find the session in one lookup; only the SHA-256 of the whole token is kept.
/// </summary>
public static class RefreshToken
{
    public const int SessionIdLength = 22;
    public const int SecretLength = 43;
    public const int Length = SessionIdLength + 1 + SecretLength;

    public static string NewSessionId() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));

    public static string New(string sessionId) => sessionId + "." + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(token)));

    /// <summary>Checks the shape (length, separator, base64url alphabet) and extracts the session id.</summary>
    public static bool TryParse(string? token, out string sessionId)
    {
        sessionId = "";
        if (token is null || token.Length != Length || token[SessionIdLength] != '.') return false;
        for (int i = 0; i < token.Length; i++)
            if (i != SessionIdLength && !IsBase64Url(token[i])) return false;
        sessionId = token[..SessionIdLength];
        return true;
    }

    /// <summary>A session id as minted here (the <c>sid</c> claim); anything else is refused before any lookup.</summary>
    public static bool IsSessionId(string? id)
    {
        if (id is null || id.Length != SessionIdLength) return false;
        foreach (char c in id)
            if (!IsBase64Url(c)) return false;
        return true;
    }

    private static bool IsBase64Url(char c) => c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_';
}
