using Hft.Core.Book;
using Hft.Core.Instruments;
using Hft.Core.Matching;

namespace Hft.Cli.Replay;

/// <summary>Options of a replay run.</summary>
public sealed record ReplayOptions
{
    /// <summary>Check every book invariant after every command (slow; a debug mode).</summary>
    public bool CheckInvariants { get; init; }

    /// <summary>Write the final book of every instrument after the last command.</summary>
    public bool WriteBooks { get; init; } = true;
}

/// <summary>
/// The engine's reference interface: streams JSON-lines commands from <c>input</c> through a fresh
/// <see cref="MatchingEngine"/> and writes every event, in order, as JSON lines to <c>output</c>, then
/// one book line per instrument. Returns 0, or 2 after writing <c>line N: reason</c> to <c>errors</c>.
/// </summary>
public static class ReplayRunner
{
    public static int Run(Stream input, Stream output, TextWriter errors, ReplayOptions options)
    {
        var instruments = new InstrumentRegistry();
        var engine = new MatchingEngine(new EngineOptions { OrderCapacity = 1 << 16, OrderIdCapacity = 1 << 20 });
        var parser = new ReplayLineParser(instruments, new AccountDirectory());
        var reader = new LineReader(input);
        using var writer = new EventJsonWriter(output, instruments);

        while (reader.TryReadLine(out var line, out bool tooLong))
        {
            if (tooLong) return Fail(errors, writer, reader.LineNumber, $"line longer than {LineReader.MaxLineBytes} bytes");
            if (!parser.TryParse(line, out var parsed, out var error)) return Fail(errors, writer, reader.LineNumber, error!);
            switch (parsed.Kind)
            {
                case ReplayLineKind.Instrument:
                    engine.AddInstrument(instruments[parsed.InstrumentIndex]);
                    break;
                case ReplayLineKind.Command:
                    foreach (ref readonly var e in engine.Process(in parsed.Command)) writer.Write(in e);
                    if (options.CheckInvariants && BookInvariants.Check(engine) is { } violation)
                        return Fail(errors, writer, reader.LineNumber, $"invariant violated: {violation}");
                    break;
            }
        }
        if (options.WriteBooks)
        {
            foreach (var book in engine.Books) writer.WriteBook(book);
        }
        return 0;
    }

    private static int Fail(TextWriter errors, EventJsonWriter writer, long line, string reason)
    {
        writer.Flush();
        errors.WriteLine($"line {line}: {reason}");
        return 2;
    }
}
