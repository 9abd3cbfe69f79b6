using System.Globalization;
using System.Text;
using Hft.Cli.Replay;
using Hft.Configuration;
using Hft.Core.Instruments;
using Hft.Journal;
using Hft.Node;
using Hft.Pipeline;
using Hft.Pipeline.Shards;

namespace Hft.Cli.Tests;

/// <summary>
/// <c>./hft replay</c> and a server fed the same commands end in the same state: both run every command through the
/// one <see cref="CommandStep"/> and every operator line through the one <see cref="Hft.Pipeline.Admin.AdminStep"/>, so
/// their state hashes are equal by construction - here checked over a random stream of orders, cancels, replaces,
/// market and post-only orders, band rejections, halts, marks and a kill switch, and again after the server's state is
/// recovered from its journal.
/// </summary>
public sealed class ReplayMatchesServerTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "hft-replay-vs-server-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private HftConfig Config()
    {
        var config = ConfigLoader.Load("development", null, new Dictionary<string, string?>());
        return config with
        {
            Journal = config.Journal with { Dir = _dir, Mode = "async", SnapshotIntervalSeconds = 0 },
            Trading = config.Trading with { MaxOrdersPerSecond = 0 },
            Feed = config.Feed with { Enabled = false },
            System = config.System with { MaxWorkers = 2, RunToCompletion = true },
        };
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Replay_and_server_give_the_same_state_hash_for_the_same_commands(int seed)
    {
        var node = TradingNode.Create(Config(), logging: _ => { }, listen: false);
        var pipeline = node.Pipeline;
        var lines = new List<string>();
        lines.AddRange(ReferenceLines(pipeline));
        lines.AddRange(RandomFlow(pipeline.Instruments, seed, 3000));

        // The replay, from the text, as ./hft replay runs it.
        string replayHash = ReplayHash(lines);

        // The server: the same lines parsed the same way, each submitted and processed before the next (run to completion).
        pipeline.Start();
        var accounts = new AccountDirectory();
        var parser = new ReplayLineParser(new InstrumentRegistry(), accounts);
        foreach (var line in lines)
        {
            Assert.True(parser.TryParse(Encoding.UTF8.GetBytes(line), out var parsed, out var error), error);
            ApplyToServer(pipeline, ref parsed, accounts);
        }
        string serverHash = Hash(pipeline);
        Assert.True(pipeline.Stop(TimeSpan.FromSeconds(10)));
        Assert.Equal(replayHash, serverHash);
        await node.DisposeAsync(); // the server's end: a restart follows it

        // Recovery applies the journaled decisions through the same step: the same state again.
        await using var recovered = TradingNode.Create(Config(), logging: _ => { }, listen: false);
        Assert.Equal(serverHash, Hash(recovered.Pipeline));
    }

    private static string Hash(TradingPipeline p) => StateHash.Compute(p.Instruments, p.Shards.Select(s => s.Engine), p.RiskBook, p.Accounts.Name);

    private static string ReplayHash(List<string> lines)
    {
        using var input = new MemoryStream(Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n"));
        using var output = new MemoryStream();
        var errors = new StringWriter();
        Assert.Equal(0, ReplayRunner.Run(input, output, errors, new ReplayOptions { WriteFinalState = false, StateHash = true }));
        string last = Encoding.UTF8.GetString(output.ToArray()).TrimEnd('\n').Split('\n')[^1];
        Assert.StartsWith("{\"ev\":\"state_hash\"", last);
        return System.Text.Json.JsonDocument.Parse(last).RootElement.GetProperty("hash").GetString()!;
    }

    /// <summary>The server's instruments (band, mark) and declared accounts (limits) as replay lines.</summary>
    private static IEnumerable<string> ReferenceLines(TradingPipeline p)
    {
        foreach (var inst in p.Instruments.All)
        {
            var risk = p.RiskBook.Instrument(inst.Index)!;
            string band = risk.BandPct is { } b ? $",\"priceBandPct\":\"{b}\"" : "";
            yield return $"{{\"op\":\"instrument\",\"symbol\":\"{inst.Symbol}\",\"tick\":\"{inst.Tick}\",\"lot\":\"{inst.Lot}\"{band}}}";
            if (risk.Mark > 0) yield return $"{{\"op\":\"mark\",\"symbol\":\"{inst.Symbol}\",\"price\":\"{inst.FormatPrice(risk.Mark)}\"}}";
            if (risk.Halted) yield return $"{{\"op\":\"halt\",\"symbol\":\"{inst.Symbol}\"}}";
        }
        foreach (var (name, id) in p.Accounts.All)
        {
            var a = p.RiskBook.Account(id);
            if (!a.Declared) continue;
            var l = a.Limits;
            var fields = new StringBuilder($"{{\"op\":\"account\",\"account\":\"{name}\",\"enabled\":{(a.Enabled ? "true" : "false")}");
            if (l.Credit is { } credit) fields.Append($",\"credit\":\"{credit}\"");
            if (l.MaxOrderQty is { } qty) fields.Append($",\"maxOrderQty\":\"{qty}\"");
            if (l.MaxOrderNotional is { } notional) fields.Append($",\"maxOrderNotional\":\"{notional}\"");
            if (l.MaxPosition is { } position) fields.Append($",\"maxPosition\":\"{position}\"");
            if (l.MaxOpenOrders is { } open) fields.Append(CultureInfo.InvariantCulture, $",\"maxOpenOrders\":{open}");
            fields.Append($",\"makerFeeBps\":\"{l.MakerFeeBps}\",\"takerFeeBps\":\"{l.TakerFeeBps}\"}}");
            yield return fields.ToString();
        }
    }

    /// <summary>A deterministic mix of every order type, cancels and replaces (some of orders already gone), and operator changes.</summary>
    private static IEnumerable<string> RandomFlow(InstrumentRegistry instruments, int seed, int count)
    {
        var rng = new Random(seed);
        string[] accounts = ["A1", "A2"];
        long[] mids = [5_000_000, 300_000]; // 50,000.00 and 3,000.00 in ticks of 0.01
        var ids = new List<(long Id, string Account, string Symbol)>();
        long next = 1;
        for (int i = 0; i < count; i++)
        {
            int inst = rng.Next(2);
            var instrument = instruments[inst];
            string symbol = instrument.Symbol, account = accounts[rng.Next(2)];
            string Price(long ticks) => instrument.FormatPrice(ticks);
            string Qty() => instrument.FormatQuantity(1 + rng.Next(instrument.Symbol == "BTCUSD" ? 5000 : 500));
            int roll = rng.Next(100);
            if (i % 700 == 350)
            {
                yield return $"{{\"op\":\"account\",\"account\":\"{account}\",\"enabled\":false}}"; // kill switch: cancels all its orders
                yield return $"{{\"op\":\"new\",\"id\":{next++},\"account\":\"{account}\",\"symbol\":\"{symbol}\",\"side\":\"buy\",\"type\":\"limit\",\"tif\":\"gtc\",\"price\":\"{Price(mids[inst])}\",\"qty\":\"{Qty()}\"}}";
                yield return $"{{\"op\":\"account\",\"account\":\"{account}\",\"enabled\":true}}";
            }
            else if (i % 900 == 450)
            {
                yield return $"{{\"op\":\"halt\",\"symbol\":\"{symbol}\"}}";
                yield return $"{{\"op\":\"new\",\"id\":{next++},\"account\":\"{account}\",\"symbol\":\"{symbol}\",\"side\":\"sell\",\"type\":\"limit\",\"tif\":\"gtc\",\"price\":\"{Price(mids[inst])}\",\"qty\":\"{Qty()}\"}}";
                yield return $"{{\"op\":\"resume\",\"symbol\":\"{symbol}\"}}";
            }
            else if (i % 500 == 250)
            {
                mids[inst] += rng.Next(-200, 201);
                yield return $"{{\"op\":\"mark\",\"symbol\":\"{symbol}\",\"price\":\"{Price(mids[inst])}\"}}";
            }
            else if (roll < 55 || ids.Count == 0)
            {
                string side = rng.Next(2) == 0 ? "buy" : "sell";
                long offset = rng.Next(-40, 200) * (side == "buy" ? -1 : 1); // mostly passive, some crossing
                if (rng.Next(100) < 3) offset = mids[inst] / 5 * (side == "buy" ? 1 : -1); // outside the 10% band
                string tif = rng.Next(10) switch { 0 => "ioc", 1 => "fok", _ => "gtc" };
                string stp = rng.Next(4) switch { 0 => "cancel_taker", 1 => "cancel_maker", 2 => "cancel_both", _ => "none" };
                bool postOnly = tif == "gtc" && rng.Next(10) == 0;
                ids.Add((next, account, symbol));
                yield return $"{{\"op\":\"new\",\"id\":{next++},\"account\":\"{account}\",\"symbol\":\"{symbol}\",\"side\":\"{side}\",\"type\":\"limit\",\"tif\":\"{tif}\",\"price\":\"{Price(mids[inst] + offset)}\",\"qty\":\"{Qty()}\",\"stp\":\"{stp}\",\"postOnly\":{(postOnly ? "true" : "false")}}}";
            }
            else if (roll < 65)
            {
                string side = rng.Next(2) == 0 ? "buy" : "sell";
                ids.Add((next, account, symbol));
                yield return $"{{\"op\":\"new\",\"id\":{next++},\"account\":\"{account}\",\"symbol\":\"{symbol}\",\"side\":\"{side}\",\"type\":\"market\",\"tif\":\"ioc\",\"qty\":\"{Qty()}\"}}";
            }
            else if (roll < 85)
            {
                var (id, owner, onSymbol) = ids[rng.Next(ids.Count)];
                yield return $"{{\"op\":\"cancel\",\"id\":{id},\"account\":\"{owner}\",\"symbol\":\"{onSymbol}\"}}";
            }
            else
            {
                var (id, owner, onSymbol) = ids[rng.Next(ids.Count)];
                var on = instruments[onSymbol == instruments[0].Symbol ? 0 : 1];
                string price = rng.Next(2) == 0 ? $",\"price\":\"{on.FormatPrice(mids[on.Index] + rng.Next(-100, 100))}\"" : "";
                yield return $"{{\"op\":\"replace\",\"id\":{id},\"account\":\"{owner}\",\"symbol\":\"{onSymbol}\"{price},\"qty\":\"{on.FormatQuantity(1 + rng.Next(3000))}\"}}";
            }
        }
    }

    /// <summary>One parsed line on the server: a command submitted (and processed, run to completion), an operator change applied.</summary>
    private static void ApplyToServer(TradingPipeline p, ref ReplayLine line, AccountDirectory replayAccounts)
    {
        switch (line.Kind)
        {
            case ReplayLineKind.Command:
                var cmd = line.Command;
                cmd.Account = p.Accounts.GetOrAdd(replayAccounts.Name(cmd.Account));
                Assert.Equal(AdmitResult.Accepted, p.Submit(in cmd, null, 0));
                Assert.True(SpinWait.SpinUntil(() => p.Shards.All(s => s.QueueDepth == 0), 10_000), "a command was not processed");
                break;
            case ReplayLineKind.Account when line.Account.Enabled is { } enabled:
                Assert.True(p.Operators.SetAccountEnabled(p.Accounts.GetOrAdd(replayAccounts.Name(line.Account.AccountId)), enabled));
                Assert.True(SpinWait.SpinUntil(() => p.Shards.All(s => s.QueueDepth == 0), 10_000), "a kill switch was not processed");
                break;
            case ReplayLineKind.Mark:
                p.Operators.SetMark(line.InstrumentIndex, line.Price);
                break;
            case ReplayLineKind.Halt or ReplayLineKind.Resume:
                p.Operators.SetHalted(line.InstrumentIndex, line.Kind == ReplayLineKind.Halt);
                break;
        }
    }
}
