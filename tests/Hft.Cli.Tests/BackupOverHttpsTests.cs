using System.Globalization;
using Hft.Auth;
using Hft.Cli.Commands;
using Hft.Configuration;
using Hft.Journal;
using Hft.Node;
using Hft.Server.Listeners;
using Hft.Tests.Tls;

namespace Hft.Cli.Tests;

/// <summary>
/// <c>hft backup --url https://127.0.0.1:PORT --ca-file ca.crt</c> against a real server whose API listener speaks TLS
/// ([tls] http), as the backup CronJob runs it inside a production pod: the archive is written and verifies; a CA that
/// did not sign the server's certificate is refused, and so is an unreadable CA file.
/// </summary>
public sealed class BackupOverHttpsTests : IAsyncLifetime
{
    private readonly TestCertificates _certs = TestCertificates.Create();
    private readonly string _temp = Directory.CreateTempSubdirectory("hft-backup-https-").FullName;
    private TradingNode? _node;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        try
        {
            if (_node is not null) await _node.DisposeAsync();
        }
        finally
        {
            _certs.Dispose();
            Directory.Delete(_temp, recursive: true);
        }
    }

    private async Task<(string Url, string AdminToken)> StartAsync()
    {
        var config = ConfigLoader.Load("development", null, new Dictionary<string, string?>());
        config = config with
        {
            Journal = config.Journal with { Dir = Path.Combine(_temp, "journal"), Mode = "async", SnapshotIntervalSeconds = 0 },
            Server = config.Server with { AuditLog = Path.Combine(_temp, "audit.log") },
            Monitoring = config.Monitoring with { MetricsPort = 0 },
            Feed = config.Feed with { Enabled = false },
            Gateway = config.Gateway with { BinaryEnabled = false, FixEnabled = false },
            Tls = config.Tls with { CertFile = _certs.CertFile, KeyFile = _certs.KeyFile, CaFile = _certs.CaFile, Http = true },
        };
        _node = TradingNode.Create(config, logging: _ => { }, listeners: ListenerPlan.SeparateOnFreePorts);
        await _node.StartAsync();
        var api = _node.Api!.Listeners.ApiUrl;
        Assert.Equal("https", api.Scheme);
        var token = new TokenService(config.Auth, SigningKeys.From(config.Auth)).Mint("ADMIN", Roles.Admin);
        return ($"https://127.0.0.1:{api.Port.ToString(CultureInfo.InvariantCulture)}", token);
    }

    private static (int Exit, string Out, string Err) Backup(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int exit = BackupCommand.Run(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task An_online_backup_over_https_trusts_the_ca_file_and_writes_a_valid_archive()
    {
        var (url, token) = await StartAsync();
        string archive = Path.Combine(_temp, "backup.tar.gz");
        var result = Backup("--out", archive, "--url", url, "--token", token, "--ca-file", _certs.CaFile);
        Assert.True(result.Exit == 0, $"exit {result.Exit}\n{result.Out}\n{result.Err}");
        Assert.Contains("server snapshot at seq", result.Err);
        Assert.True(JournalBackup.Verify(archive).Ok);
    }

    [Fact]
    public async Task A_server_certificate_the_ca_file_did_not_sign_is_refused()
    {
        var (url, token) = await StartAsync();
        using var other = TestCertificates.Create("another CA");
        string archive = Path.Combine(_temp, "refused.tar.gz");
        var result = Backup("--out", archive, "--url", url, "--token", token, "--ca-file", other.CaFile);
        Assert.Equal(1, result.Exit);
        Assert.Contains("could not ask", result.Err);
        Assert.False(File.Exists(archive));

        // Without --ca-file the system trust store decides, and it does not know the test authority either.
        Assert.Equal(1, Backup("--out", archive, "--url", url, "--token", token).Exit);
        Assert.False(File.Exists(archive));
    }

    [Fact]
    public async Task An_unreadable_ca_file_is_a_usage_error()
    {
        var (url, token) = await StartAsync();
        var result = Backup("--out", Path.Combine(_temp, "x.tar.gz"), "--url", url, "--token", token, "--ca-file", Path.Combine(_temp, "missing.crt"));
        Assert.Equal(2, result.Exit);
        Assert.Contains("cannot load --ca-file", result.Err);
    }
}
