using System.Text;
using Hft.Configuration;
using Hft.Core.Events;
using Hft.Core.Matching;
using Hft.Core.Orders;
using Hft.Gateways.Fix;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hft.Gateways.Tests.Fix;

/// <summary>
/// The acceptor's own share of the new order → execution report path, on the test thread: a NewOrderSingle parsed in
/// place, its order taken from the session's book, its Accepted and (maker) fill events filtered into the report
/// queue, turned into execution reports (kept for resends) and the order finished and later recycled. In steady state
/// this allocates nothing; what the order path still allocates is the ClOrdID string (here made beforehand) and the
/// pipeline's own share (the order directory's record, journal), which this test leaves out.
/// </summary>
public class FixReportPathAllocationTests
{
    [Fact]
    public async Task Entering_an_order_and_reporting_it_allocates_nothing_in_steady_state()
    {
        await using var s = await FixServerFixture.StartAsync();
        var node = s.Server;
        var gateway = node.Config.Gateway with { FixStoreDir = Path.Combine(s.Dir, "alloc"), FixResendStoreMessages = 4096 };
        int account = node.Pipeline.Accounts.GetOrAdd("A1");
        var session = new FixSession(new FixSessionConfig { SenderCompId = "ALLOC", TargetCompId = "HFT", Account = "A1" }, account, gateway,
            node.Pipeline, node.Directory, new FixMetrics(Prometheus.Metrics.NewCustomRegistry()), NullLogger.Instance);
        try
        {
            var instrument = node.Pipeline.Instruments.All[0];
            // More names than the book keeps finished orders: each comes back only after its previous order was forgotten.
            var names = new string[FixSession.RetainFinished * 2];
            var nameBytes = new byte[names.Length][];
            for (int i = 0; i < names.Length; i++)
            {
                names[i] = "ALLOC-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                nameBytes[i] = Encoding.ASCII.GetBytes(names[i]);
            }
            var symbol = Encoding.ASCII.GetBytes(instrument.Symbol);
            var wire = new byte[512];
            var body = new FixFieldWriter();
            var message = new FixMessage();
            var events = new EngineEvent[1];
            long checksum = 0;

            long EnterAndReport(int i)
            {
                body.Clear();
                body.Add(FixTags.ClOrdId, nameBytes[i % names.Length]).Add(FixTags.Symbol, symbol).AddChar(FixTags.Side, (byte)'1')
                    .AddTime(FixTags.TransactTime, DateTime.UtcNow).Add(FixTags.OrderQty, "1"u8).AddChar(FixTags.OrdType, (byte)'2');
                int n = FixComposer.Compose(wire, "D"u8, "ALLOC"u8, "HFT"u8, i + 1, DateTime.UtcNow, false, default, body.Written);
                Assert.True(message.TryParse(wire, 0, n, out _, out _));
                long id = 1_000_000 + i;
                var order = session.Book.Rent();
                order.Init(id, instrument, Side.Buy, OrderType.Limit, TimeInForce.Gtc, names[i % names.Length], 1, 100, stopPx: 0);
                Assert.True(session.Book.TryAdd(order));
                var cmd = OrderCommand.NewLimit(id, account, instrument.Index, Side.Buy, 100, 1, TimeInForce.Gtc, false);
                events[0] = new EngineEvent { Kind = EventKind.Accepted, OrderId = id, Account = account, Instrument = instrument.Index, Quantity = 1, Price = 100 };
                session.OnAccountEvents(account, in cmd, events, 0);
                events[0] = new EngineEvent
                {
                    Kind = EventKind.Trade, OrderId = id + 1, Account = account + 1, MakerOrderId = id, MakerAccount = account, Instrument = instrument.Index,
                    Quantity = 1, Price = 100, MakerRemaining = 0,
                };
                session.OnAccountEvents(account, in cmd, events, 0);
                session.SendReleased();
                return message.SeqNum + (order.Done ? 1 : 0);
            }

            int count = FixSession.RetainFinished * 3;
            for (int i = 0; i < count; i++) checksum += EnterAndReport(i); // warm up: JIT, the book's tables, the resend ring
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = count; i < 2 * count; i++) checksum += EnterAndReport(i);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Equal(0, allocated);
            Assert.True(session.SentStore.TryGet(session.Seq.NextOut - 1, out var type, out _, out _) && type.SequenceEqual("8"u8));
            Assert.NotEqual(0, checksum);
        }
        finally
        {
            session.Dispose();
        }
    }
}
