using System.Net;
using System.Net.Sockets;
using System.Text;
using Hft.Client;
using Hft.Core.Orders;
using Hft.Gateways.Fix;
using Hft.Tools.Loadgen;

namespace Hft.Tools.Tests;

/// <summary>How loadgen's FIX target reads execution reports into answers (fed directly, no acceptor).</summary>
public class FixTargetTests
{
    private sealed class Answers : ITargetListener
    {
        public readonly List<(ulong Order, Answer Answer)> Got = new();

        public void OnAnswer(ulong clientOrderId, Answer answer, long timestamp, string? reason = null) => Got.Add((clientOrderId, answer));

        public void OnDone(ulong clientOrderId)
        {
        }

        public void OnClosed(string why)
        {
        }
    }

    private static FixMessage Report(string fields, string msgType = "8")
    {
        var body = FixClient.Body(fields);
        var bytes = new byte[FixComposer.MaxLength(body.Length, 10)];
        int n = FixComposer.Compose(bytes, Encoding.ASCII.GetBytes(msgType), "HFT"u8, "CLIENT_A1"u8, 2, DateTime.UtcNow, false, default, body);
        var m = new FixMessage();
        Assert.True(m.TryParse(bytes, 0, n, out _, out _));
        return m;
    }

    private static async Task<(FixTarget Target, Answers Answers, TcpListener Server)> StartAsync(string run)
    {
        var server = new TcpListener(IPAddress.Loopback, 0);
        server.Start();
        var client = await FixClient.ConnectAsync("127.0.0.1", ((IPEndPoint)server.LocalEndpoint).Port, "CLIENT_A1");
        var answers = new Answers();
        return (new FixTarget(client, answers, new LoadInstrument("BTC-USD", 0.01m, 0.001m), run), answers, server);
    }

    [Fact]
    public void A_run_token_tells_this_runs_ClOrdIDs_from_an_earlier_runs()
    {
        var ids = new FixLoadClOrdIds("19a");
        Span<byte> id = stackalloc byte[FixLoadClOrdIds.MaxLength];
        int n = ids.Format((byte)'R', 1UL << 40 | 7, 3, id);
        Assert.Equal("R1099511627783.19a.3", Encoding.ASCII.GetString(id[..n]));
        Assert.True(ids.TryParse(id[..n], out byte prefix, out ulong order, out long k));
        Assert.Equal(((byte)'R', 1UL << 40 | 7, 3L), (prefix, order, k));
        Assert.True(ids.TryParse("N5.19a"u8, out _, out order, out k) && order == 5 && k == 0);
        Assert.False(ids.TryParse("N5.18f"u8, out _, out _, out _));
        Assert.False(ids.TryParse("N5.19ab"u8, out _, out _, out _));
        Assert.False(ids.TryParse("C12"u8, out _, out _, out _));
    }

    // An earlier run's order left resting with the same order number fills first: its report must neither answer
    // this run's order nor keep this run's first report from answering it (it stayed unanswered).
    [Fact]
    public async Task A_fill_of_an_earlier_runs_order_with_the_same_number_does_not_answer_or_hide_this_runs_order()
    {
        var (target, answers, server) = await StartAsync("run2");
        try
        {
            target.OnMessage(Report("37=1|11=N1.run1|17=e1|150=F|39=2|14=1|"));
            target.NewOrder(1, Side.Buy, TimeInForce.Gtc, 100, 1);
            Assert.Empty(answers.Got);
            target.OnMessage(Report("37=2|11=N1.run2|17=e2|150=0|39=0|14=0|"));
            Assert.Equal([(1UL, Answer.Accepted)], answers.Got);
        }
        finally
        {
            target.Dispose();
            server.Stop();
        }
    }

    [Fact]
    public async Task A_replace_refused_because_the_order_filled_meanwhile_is_too_late_not_an_error()
    {
        var (target, answers, server) = await StartAsync("run3");
        try
        {
            target.NewOrder(4, Side.Buy, TimeInForce.Gtc, 100, 2);
            target.OnMessage(Report("37=9|11=N4.run3|17=e1|150=0|39=0|14=0|"));
            target.Replace(4, 1, 101);
            target.OnMessage(Report("37=9|11=R4.run3.1|41=N4.run3|39=1|434=2|102=0|58=too late|", "9"));
            Assert.Equal([(4UL, Answer.Accepted), (4UL, Answer.TooLate)], answers.Got);
        }
        finally
        {
            target.Dispose();
            server.Stop();
        }
    }
}
