using Hft.Core.Book;
using Hft.Core.Instruments;

namespace Hft.Cli.Replay;

/// <summary>Options of a replay run.</summary>
public sealed record ReplayOptions
{
    /// <summary>Check every book invariant after every command (slow; a debug mode).</summary>
    public bool CheckInvariants { get; init; }

    /// <summary>Write the final books, positions and accounts after the last command.</summary>
    public bool WriteFinalState { get; init; } = true;

    /// <summary>End with <c>{"ev":"state_hash","hash":"..."}</c>: the deterministic hash of the final state.</summary>
    public bool StateHash { get; init; }
}

/// <summary>
/// The engine's reference interface: streams JSON-lines commands from <c>input</c> through a fresh
/// <see cref="Core.Matching.MatchingEngine"/> and writes every event, in order, as JSON lines to <c>output</c>, then
/// one book line per instrument. Returns 0, or 2 after writing <c>line N: reason</c> to <c>errors</c>.
/// </summary>
public static class ReplayRunner
{
    public static int Run(Stream input, Stream output, TextWriter errors, ReplayOptions options)
    {
        var instruments = new InstrumentRegistry();
        var accounts = new AccountDirectory();
        var parser = new ReplayLineParser(instruments, accounts);
        var reader = new LineReader(input);
        using var writer = new EventJsonWriter(output, instruments);
        var pipeline = new ReplayPipeline(writer, instruments, accounts);

        while (reader.TryReadLine(out var line, out bool tooLong))
        {
            if (tooLong) return Fail(errors, writer, reader.LineNumber, $"line longer than {LineReader.MaxLineBytes} bytes");
            if (!parser.TryParse(line, out var parsed, out var error)) return Fail(errors, writer, reader.LineNumber, error!);
            pipeline.Execute(ref parsed);
            if (options.CheckInvariants && BookInvariants.Check(pipeline.Engine) is { } violation)
                return Fail(errors, writer, reader.LineNumber, $"invariant violated: {violation}");
        }
        if (options.WriteFinalState) pipeline.WriteFinalState();
        if (options.StateHash) writer.WriteStateHash(pipeline.StateHash());
        return 0;
    }

    private static int Fail(TextWriter errors, EventJsonWriter writer, long line, string reason)
    {
        writer.Flush();
        errors.WriteLine($"line {line}: {reason}");
        return 2;
    }
}
