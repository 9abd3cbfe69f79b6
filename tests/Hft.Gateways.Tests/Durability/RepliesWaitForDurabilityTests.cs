using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Hft.Auth;
using Hft.Client;
using Hft.Configuration;
using Hft.Core.Orders;
using Hft.Gateways.Binary;
using Hft.Journal;
using Hft.Node;

namespace Hft.Gateways.Tests.Durability;

/// <summary>
/// Every reply on every gateway waits in the one durable outbox: while the journal cannot make the commands durable (its
/// replicated log holds every batch uncommitted), a REST order gets no response, a binary session no acknowledgment or
/// fill, a FIX session no execution report, a WebSocket client no user event and no public trade - although the
/// commands were decided (they are in the book). Once the log commits, every one of them arrives.
/// </summary>
public sealed class RepliesWaitForDurabilityTests : IAsyncLifetime
{
    private static readonly TimeSpan s_quiet = TimeSpan.FromMilliseconds(400);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "hft-durable-replies-" + Guid.NewGuid().ToString("N"));
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
            if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
        }
    }

    private HftConfig Config()
    {
        var config = ConfigLoader.Load("development", null, new Dictionary<string, string?>());
        config = config with
        {
            Monitoring = config.Monitoring with { MetricsPort = 0 },
            Server = config.Server with { HttpPort = 0, AuditLog = Path.Combine(_dir, "audit.log") },
            Journal = config.Journal with { Dir = Path.Combine(_dir, "journal"), Mode = "async", SnapshotIntervalSeconds = 0 },
            Gateway = config.Gateway with { BinaryEnabled = true, BinaryPort = 0, FixEnabled = true, FixPort = 0, FixStoreDir = Path.Combine(_dir, "fix") },
            Feed = config.Feed with { Enabled = false },
        };
        return config;
    }

    [Fact]
    public async Task No_gateway_answers_before_the_journal_holds_the_command_and_every_one_does_after()
    {
        var (log, tokens) = await StartHeldAsync();
        var journal = _node!.Pipeline.Journal;
        using var http = Http(tokens);
        using var ws = new ClientWebSocket();
        ws.Options.SetRequestHeader("Authorization", "Bearer " + tokens.Mint("A1", Roles.Trader));
        await ws.ConnectAsync(new Uri(_node.Urls[0].Replace("http", "ws", StringComparison.Ordinal) + "/ws"), CancellationToken.None);
        var received = new List<JsonElement>();
        var reading = ReadAllAsync(ws, received);
        await SendAsync(ws, """{"op":"subscribe","channel":"user"}""");
        await SendAsync(ws, """{"op":"subscribe","channel":"trades","symbol":"BTCUSD"}""");
        Assert.True(SpinWait.SpinUntil(() => Count(received, "subscribed") == 2, 10_000), "subscriptions not confirmed");
        using var binary = await BinaryAsync();
        await using var fix = await FixAsync();

        // Decided but not durable: A1 rests a bid over REST, A2 sells into it over binary (a trade), A2 bids over FIX.
        var rest = DecideThree(http, binary, fix, "r1", Side.Sell, 4_999_000);
        Assert.Equal(0, journal.DurableSequence);

        await Task.Delay(s_quiet);
        Assert.False(rest.IsCompleted, "the REST order was answered before it was durable");
        while (binary.Messages.TryRead(out var early)) // heartbeats may come at any time on a busy machine; nothing else may
            Assert.True(early.Type == MessageType.ServerHeartbeat, $"binary answered before durable: {early.Type}");
        Assert.Null(fix.TryExpect(m => m.MsgType == "8", TimeSpan.Zero));
        lock (received) Assert.DoesNotContain(received, m => m.TryGetProperty("channel", out var c) && c.GetString() is "user" or "trades"
            && !m.TryGetProperty("op", out _));

        log.Commit();

        using var answer = await rest.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(System.Net.HttpStatusCode.Created, answer.StatusCode);
        var accepted = await NextAnswerAsync(binary);
        Assert.Equal(MessageType.OrderAccepted, accepted.Type);
        var fill = await NextAnswerAsync(binary);
        Assert.Equal((MessageType.Fill, 1_000L), (fill.Type, fill.Quantity));
        Assert.Equal("0", fix.Expect(m => m.MsgType == "8", TimeSpan.FromSeconds(10))[150]); // ExecType New
        Assert.True(SpinWait.SpinUntil(() => HasTrade(received) && HasUserFill(received), 10_000), "no trade or user fill on the WebSocket");
        Assert.True(journal.DurableSequence >= 3);

        await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        await reading.WaitAsync(TimeSpan.FromSeconds(10));
    }

    /// <summary>The next binary message that is not a server heartbeat.</summary>
    private static async Task<BinaryMessage> NextAnswerAsync(BinaryClient binary)
    {
        while (true)
        {
            var m = await binary.Messages.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            if (m.Type != MessageType.ServerHeartbeat) return m;
        }
    }

    /// <summary>A node whose journal's replicated log withholds every commit until the test says.</summary>
    private async Task<(HeldLog Log, TokenService Tokens)> StartHeldAsync()
    {
        var config = Config();
        _node = TradingNode.Create(config, logging: _ => { });
        var log = new HeldLog();
        _node.Pipeline.Journal.Replicator = log; // before the first record: every batch waits for the "commit"
        await _node.StartAsync();
        return (log, new TokenService(config.Auth, SigningKeys.From(config.Auth)));
    }

    private HttpClient Http(TokenService tokens)
    {
        var http = new HttpClient { BaseAddress = new Uri(_node!.Urls[0]), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.Mint("A1", Roles.Trader));
        return http;
    }

    private async Task<BinaryClient> BinaryAsync()
    {
        var binary = await BinaryClient.ConnectAsync("127.0.0.1", _node!.Binary!.EndPoint!.Port);
        Assert.Equal(MessageType.LoginAccepted, (await binary.LoginAsync(AuthKind.ApiKey, "dev-key-A2")).Type);
        return binary;
    }

    private async Task<FixClient> FixAsync()
    {
        var fix = await FixClient.ConnectAsync("127.0.0.1", _node!.Fix!.EndPoint!.Port, "CLIENT_A2");
        Assert.Equal("A", fix.Logon("dev-fix-A2", reset: true).MsgType);
        return fix;
    }

    /// <summary>
    /// A1 bids 0.5 at 49,990 over REST (<paramref name="clientOrderId"/>), A2 sends 0.1 at <paramref name="binaryTicks"/>
    /// over binary (a sell crosses the bid) and bids 0.2 at 49,000 over FIX; returns once all three are decided.
    /// </summary>
    private Task<HttpResponseMessage> DecideThree(HttpClient http, BinaryClient binary, FixClient fix, string clientOrderId, Side binarySide, long binaryTicks)
    {
        var journal = _node!.Pipeline.Journal;
        var rest = http.PostAsync("/api/v1/orders", new StringContent(
            $$"""{"clientOrderId":"{{clientOrderId}}","symbol":"BTCUSD","side":"buy","type":"limit","tif":"gtc","price":"49990.00","qty":"0.5"}""",
            Encoding.UTF8, "application/json"));
        Assert.True(SpinWait.SpinUntil(() => journal.Stats.LastSequence >= 1, 10_000), "the REST order was not decided");
        binary.SendNewOrder(7, 0, binarySide, OrderType.Limit, TimeInForce.Gtc, binaryTicks, 1_000);
        fix.NewOrder("F1", "BTCUSD", '1', "0.2", "49000", '2');
        Assert.True(SpinWait.SpinUntil(() => journal.Stats.LastSequence >= 3, 10_000), $"decided {journal.Stats.LastSequence} of 3");
        return rest;
    }

    private static int Count(List<JsonElement> messages, string op)
    {
        lock (messages) return messages.Count(m => m.TryGetProperty("op", out var o) && o.GetString() == op);
    }

    private static bool HasTrade(List<JsonElement> messages)
    {
        lock (messages) return messages.Any(m => m.TryGetProperty("channel", out var c) && c.GetString() == "trades" && m.TryGetProperty("price", out _));
    }

    private static bool HasUserFill(List<JsonElement> messages)
    {
        lock (messages) return messages.Any(m => m.TryGetProperty("channel", out var c) && c.GetString() == "user" && m.GetRawText().Contains("fill", StringComparison.Ordinal));
    }

    private static Task SendAsync(ClientWebSocket ws, string text)
        => ws.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    private static async Task ReadAllAsync(ClientWebSocket ws, List<JsonElement> into)
    {
        var buffer = new byte[1 << 16];
        try
        {
            while (ws.State == WebSocketState.Open)
            {
                int n = 0;
                WebSocketReceiveResult r;
                do
                {
                    r = await ws.ReceiveAsync(new ArraySegment<byte>(buffer, n, buffer.Length - n), CancellationToken.None);
                    n += r.Count;
                }
                while (!r.EndOfMessage);
                if (r.MessageType == WebSocketMessageType.Close) return;
                var element = JsonDocument.Parse(buffer.AsMemory(0, n)).RootElement.Clone();
                lock (into) into.Add(element);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
        }
    }

    [Fact]
    public async Task Commands_the_journal_never_makes_durable_are_never_acknowledged_and_are_gone_after_a_restart()
    {
        var (log, tokens) = await StartHeldAsync();
        var config = _node!.Config;
        using var http = Http(tokens);
        using var binary = await BinaryAsync();
        await using var fix = await FixAsync();
        var rest = DecideThree(http, binary, fix, "lost-1", Side.Buy, 4_998_000);

        log.Fail(); // the log never commits them: the journal fails, as on a lost disk or lost leadership

        using var answer = await rest.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, answer.StatusCode);
        Assert.Contains("journal_failed", await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        while (await binary.Messages.WaitToReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)) && binary.Messages.TryRead(out var m))
            Assert.True(m.Type is MessageType.LogoutNotice or MessageType.ServerHeartbeat, $"binary answered a command that was never durable: {m.Type}");
        Assert.Null(fix.TryExpect(m => m.MsgType == "8" && m[150] != "8", TimeSpan.FromMilliseconds(500)));

        // A restart recovers what the journal holds: none of the three.
        await _node.DisposeAsync();
        _node = null;
        await using var recovered = TradingNode.Create(config, logging: _ => { }, listen: false);
        Assert.Equal(0, recovered.Pipeline.Recovery.LastSequence);
        Assert.Null(recovered.Directory.FindByClientId(recovered.Pipeline.Accounts.GetOrAdd("A1"), "lost-1"));
    }

    /// <summary>
    /// A replicated log that holds every batch uncommitted until <see cref="Commit"/> (durability withheld), or never
    /// commits it (<see cref="Fail"/>: the journal fails, as when leadership is lost).
    /// </summary>
    private sealed class HeldLog : IJournalReplicator
    {
        private long _committed; // 0: nothing yet; long.MaxValue: every ticket; -1: never (lost)
        private long _tickets;
        private Action? _progress;

        public bool AcknowledgeOnAppend => false;

        public long Append(ReadOnlySpan<byte> records, bool nothingInFlight) => Interlocked.Increment(ref _tickets);

        public long CommittedTicket => Interlocked.Read(ref _committed);

        public Action? Progress
        {
            set => _progress = value;
        }

        public void Commit()
        {
            Interlocked.Exchange(ref _committed, long.MaxValue);
            _progress?.Invoke();
        }

        public void Fail()
        {
            Interlocked.Exchange(ref _committed, -1);
            _progress?.Invoke();
        }
    }
}
