using Hft.Cli.Replay;
using Hft.Core.Matching;

namespace Hft.Cli.Bench;

/// <summary>
/// A workload read from a replay command file (<c>--input</c>): parsed completely by
/// <see cref="ReplayScript.Load"/> before any timing, then run once untimed through a dry-run engine to size
/// the measured engines' storage and to digest the events.
/// </summary>
internal static class ReplayWorkload
{
    public static BenchWorkload? Load(string path, out string? error)
    {
        ReplayScript script;
        try
        {
            script = ReplayScript.Load(path);
        }
        catch (ReplayFormatException e)
        {
            error = $"{path}: {e.Message}";
            return null;
        }
        catch (IOException e)
        {
            error = $"{path}: {e.Message}";
            return null;
        }
        catch (UnauthorizedAccessException e)
        {
            error = $"{path}: {e.Message}";
            return null;
        }
        if (script.Commands.Length == 0)
        {
            error = $"{path}: no commands to time";
            return null;
        }

        var commands = script.Commands;
        var sizer = new EngineSizer();
        // Generous for the dry run (it may grow; it is untimed): every command could leave one order resting.
        var dry = script.CreateEngine(new EngineOptions
        {
            OrderCapacity = commands.Length + 16,
            OrderIdCapacity = commands.Length + 16,
        });
        for (int i = 0; i < commands.Length; i++)
        {
            var events = dry.Process(in commands[i]);
            sizer.Observe(dry, in commands[i], events);
        }
        sizer.Finish(dry);

        error = null;
        return new BenchWorkload
        {
            Name = "replay",
            Description = $"replay file {Path.GetFileName(path)}, {script.Instruments.Count} instrument(s)",
            Instruments = script.Instruments,
            Preload = [],
            Commands = commands,
            Options = sizer.ToOptions(),
            Seed = null,
            Sizing = sizer,
        };
    }
}
