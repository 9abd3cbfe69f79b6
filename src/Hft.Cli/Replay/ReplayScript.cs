using Hft.Core.Instruments;
using Hft.Core.Matching;

namespace Hft.Cli.Replay;

/// <summary>
/// A replay file parsed completely into memory (for timing the engine alone, e.g. <c>./hft bench --input</c>):
/// instruments defined up front and the order commands in file order (an expiry command wherever a line moves the clock).
/// </summary>
public sealed class ReplayScript
{
    private ReplayScript(InstrumentRegistry instruments, OrderCommand[] commands)
    {
        Instruments = instruments;
        Commands = commands;
    }

    public InstrumentRegistry Instruments { get; }

    public OrderCommand[] Commands { get; }

    /// <summary>Parses a whole file; throws <see cref="ReplayFormatException"/> naming the first malformed line.</summary>
    public static ReplayScript Load(string path)
    {
        using var stream = File.OpenRead(path);
        var instruments = new InstrumentRegistry();
        var parser = new ReplayLineParser(instruments, new AccountDirectory());
        var reader = new LineReader(stream);
        var commands = new List<OrderCommand>();
        while (reader.TryReadLine(out var line, out bool tooLong))
        {
            if (tooLong) throw new ReplayFormatException(reader.LineNumber, $"line longer than {LineReader.MaxLineBytes} bytes");
            if (!parser.TryParse(line, out var parsed, out var error)) throw new ReplayFormatException(reader.LineNumber, error!);
            if (parsed.Time > 0) commands.Add(OrderCommand.Expire(parsed.Time));
            if (parsed.Kind == ReplayLineKind.Command) commands.Add(parsed.Command);
        }
        return new ReplayScript(instruments, commands.ToArray());
    }

    /// <summary>A fresh engine with every instrument of the script.</summary>
    public MatchingEngine CreateEngine(EngineOptions options)
    {
        var engine = new MatchingEngine(options);
        foreach (var inst in Instruments.All) engine.AddInstrument(inst);
        return engine;
    }
}
