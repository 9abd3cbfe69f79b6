using System.Security.Cryptography;
using System.Text;
using Hft.Configuration;
using Microsoft.IdentityModel.Tokens;

namespace Hft.Auth;

/// <summary>
/// The keys tokens are signed and verified with: HS256 from <c>[auth] secret</c>, or RS256 from the PEM in
/// <c>[auth] key_file</c> (a private key can sign and verify; a public key only verify).
/// </summary>
public sealed class SigningKeys
{
    private SigningKeys(SecurityKey verification, SigningCredentials? signing, bool isDevelopmentSecret)
    {
        Verification = verification;
        Signing = signing;
        IsDevelopmentSecret = isDevelopmentSecret;
    }

    public SecurityKey Verification { get; }

    /// <summary>Null when only a public key is configured (this process cannot mint tokens).</summary>
    public SigningCredentials? Signing { get; }

    public bool IsDevelopmentSecret { get; }

    public static SigningKeys From(AuthConfig auth)
    {
        if (auth.KeyFile is { Length: > 0 } keyFile)
        {
            var rsa = RSA.Create();
            rsa.ImportFromPem(File.ReadAllText(keyFile));
            var key = new RsaSecurityKey(rsa) { KeyId = "hft-rs256" };
            bool isPrivate;
            try
            {
                rsa.ExportParameters(includePrivateParameters: true);
                isPrivate = true;
            }
            catch (CryptographicException)
            {
                isPrivate = false;
            }
            return new SigningKeys(key, isPrivate ? new SigningCredentials(key, SecurityAlgorithms.RsaSha256) : null, false);
        }
        string secret = auth.Secret ?? AuthConfig.DevelopmentSecret;
        var symmetric = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(secret)) { KeyId = "hft-hs256" };
        return new SigningKeys(symmetric, new SigningCredentials(symmetric, SecurityAlgorithms.HmacSha256),
            secret == AuthConfig.DevelopmentSecret);
    }
}
