namespace Hft.Configuration.Tests;

/// <summary>[system] idle_strategy and run_to_completion: each profile's choice, overrides, and refused values.</summary>
public sealed class SystemThreadingConfigTests : IDisposable
{
    private readonly TempConfigDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("production", "busy_spin")]
    [InlineData("staging", "backoff")]
    [InlineData("development", "backoff")]
    public void Each_profile_names_its_idle_strategy_and_runs_commands_to_completion(string profile, string idle)
    {
        _dir.CopyShipped(profile);
        var system = _dir.Load(profile, profile == "development" ? null : new() { ["HFT_AUTH__SECRET"] = ShippedProfilesTests.Secret }).System;
        Assert.Equal(idle, system.IdleStrategy);
        Assert.True(system.RunToCompletion);
    }

    [Fact]
    public void Environment_overrides_choose_the_other_threading()
    {
        _dir.CopyShipped("development");
        var system = _dir.Load("development", new() { ["HFT_SYSTEM__IDLE_STRATEGY"] = "Busy_Spin", ["HFT_SYSTEM__RUN_TO_COMPLETION"] = "false" }).System;
        Assert.Equal("busy_spin", system.IdleStrategy); // case and spaces do not matter
        Assert.False(system.RunToCompletion);
    }

    [Theory]
    [InlineData("idle_strategy = \"backoff\"", "idle_strategy = \"sleep\"", "[system] idle_strategy", "\"sleep\"")]
    [InlineData("idle_strategy = \"backoff\"", "idle_strategy = 3", "[system] idle_strategy", "")]
    [InlineData("run_to_completion = true", "run_to_completion = \"yes\"", "[system] run_to_completion", "")]
    public void Unknown_or_mistyped_values_stop_start_up_naming_the_key(string from, string to, string key, string shown)
    {
        _dir.WriteEdited("development", s => s.Replace(from, to, StringComparison.Ordinal));
        var e = Assert.Throws<ConfigException>(() => _dir.Load("development"));
        Assert.Contains(key, e.Message);
        Assert.Contains(shown, e.Message);
    }
}
