using System.Net;
using System.Text.Json;
using Hft.Auth.Audit;
using Hft.Auth.Guards;
using Hft.Configuration;

namespace Hft.Auth.Tests.Guards;

/// <summary>Failed logins lock an account or an address out of every gateway for a while, audited; the window and lockout follow the clock.</summary>
public sealed class LoginThrottleTests : IDisposable
{
    private static readonly SecurityConfig s_config = new() { LoginMaxFailures = 3, LoginFailureWindowSeconds = 60, LoginLockoutSeconds = 30 };
    private static readonly IPAddress s_guesser = IPAddress.Parse("192.0.2.7");
    private static readonly IPAddress s_other = IPAddress.Parse("192.0.2.8");
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "hft-throttle-" + Guid.NewGuid().ToString("N"));
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero));
    private readonly AuditLog _audit;
    private readonly LoginThrottle _throttle;

    public LoginThrottleTests()
    {
        _audit = new AuditLog(Path.Combine(_dir, "audit.log"), linesPerSecond: 1000, _clock);
        _throttle = new LoginThrottle(s_config, _audit, _clock);
    }

    public void Dispose()
    {
        _audit.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private List<JsonElement> Lines() => File.ReadAllLines(_audit.Path).Select(l => JsonDocument.Parse(l).RootElement).ToList();

    [Fact]
    public void Repeated_failures_of_one_account_lock_it_out_everywhere_even_with_the_right_secret_until_the_lockout_ends()
    {
        for (int i = 0; i < 3; i++)
        {
            Assert.True(_throttle.MayTry("fix", "A1", s_other, out _));
            _throttle.Failed("fix", "A1", IPAddress.Parse($"198.51.100.{i}"), "wrong password");
        }
        Assert.False(_throttle.MayTry("binary", "A1", s_other, out var wait)); // another gateway, another address
        Assert.Equal(TimeSpan.FromSeconds(30), wait);
        Assert.True(_throttle.MayTry("binary", "A2", s_other, out _));

        _clock.Advance(TimeSpan.FromSeconds(29));
        Assert.False(_throttle.MayTry("ws", "A1", s_other, out _));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(_throttle.MayTry("ws", "A1", s_other, out _));

        var lines = Lines();
        Assert.Equal(3, lines.Count(l => l.GetProperty("action").GetString() == "fix.login_failed"));
        var lockout = Assert.Single(lines, l => l.GetProperty("action").GetString() == "auth.lockout");
        Assert.Equal("A1", lockout.GetProperty("target").GetString());
        Assert.Equal(2, lines.Count(l => l.GetProperty("action").GetString()!.EndsWith(".login_locked", StringComparison.Ordinal)));
    }

    [Fact]
    public void One_address_guessing_many_accounts_is_locked_out_and_a_success_elsewhere_does_not_unlock_it()
    {
        for (int i = 0; i < 3; i++) _throttle.Failed("rest", "X" + i, s_guesser, "unknown api key");
        _throttle.Succeeded("A1");
        Assert.False(_throttle.MayTry("rest", "A1", s_guesser, out _));
        Assert.True(_throttle.MayTry("rest", "A1", s_other, out _));
    }

    [Fact]
    public void Failures_spread_wider_than_the_window_never_lock_and_a_success_clears_the_account()
    {
        for (int i = 0; i < 10; i++)
        {
            _throttle.Failed("binary", "A1", s_other, "bad token");
            _throttle.Failed("binary", "A1", s_other, "bad token");
            _clock.Advance(TimeSpan.FromSeconds(61));
        }
        Assert.True(_throttle.MayTry("binary", "A1", s_other, out _));

        _throttle.Failed("binary", "A2", s_guesser, "bad token");
        _throttle.Failed("binary", "A2", s_other, "bad token");
        _throttle.Succeeded("A2");
        _throttle.Failed("binary", "A2", IPAddress.Parse("203.0.113.1"), "bad token");
        Assert.True(_throttle.MayTry("binary", "A2", IPAddress.Parse("203.0.113.2"), out _));
    }
}
