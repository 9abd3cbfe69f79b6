using Hft.Auth;
using Hft.Configuration;
using Hft.Server.Auth;

namespace Hft.Cli.Commands;

/// <summary><c>hft token --account A1 --role trader [--profile P] [--lifetime SECONDS]</c>: prints a JWT alone on stdout.</summary>
public static class TokenCommand
{
    private const string Help = """
        usage: hft token --account ID --role trader|admin [--profile NAME] [--lifetime SECONDS]

        Mints a bearer token with the profile's signing key ([auth] secret or key_file) and prints it alone on stdout.
        The account must be one of the profile's [[accounts]].
        """;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        string? account = null, role = null;
        int? lifetime = null;
        var rest = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            string? Next() => i + 1 < args.Length ? args[++i] : null;
            switch (a)
            {
                case "-h" or "--help": stdout.WriteLine(Help); return 0;
                case "--account": account = Next(); break;
                case "--role": role = Next(); break;
                case "--lifetime":
                    if (!int.TryParse(Next(), out int seconds) || seconds is < 1 or > 31_536_000)
                    {
                        stderr.WriteLine("hft token: --lifetime must be a number of seconds between 1 and 31536000");
                        return 2;
                    }
                    lifetime = seconds;
                    break;
                case "--profile": rest.Add(a); rest.Add(Next() ?? ""); break;
                default:
                    stderr.WriteLine($"hft token: unknown argument '{a}'");
                    return 2;
            }
        }
        if (account is null || role is null)
        {
            stderr.WriteLine(Help);
            return 2;
        }
        if (!Roles.IsValid(role))
        {
            stderr.WriteLine($"hft token: unknown role '{role}' (trader or admin)");
            return 2;
        }
        if (!ProfileConfig.TryLoad(rest, stderr, out var config)) return ConfigException.ExitCode;
        if (!config.Accounts.Any(a => a.Id == account))
        {
            stderr.WriteLine($"hft token: account '{account}' is not one of the {config.Profile} profile's accounts");
            return 2;
        }
        if (lifetime > config.Auth.MaxTokenLifetimeSeconds)
        {
            stderr.WriteLine($"hft token: --lifetime {lifetime} is over [auth] max_token_lifetime_seconds ({config.Auth.MaxTokenLifetimeSeconds}): the server would refuse the token");
            return 2;
        }
        var tokens = new TokenService(config.Auth, SigningKeys.From(config.Auth));
        stdout.WriteLine(tokens.Mint(account, role, lifetime is { } s ? TimeSpan.FromSeconds(s) : null));
        return 0;
    }
}
