using Hft.Core.Orders;
using Hft.Gateways.Binary;
using Hft.Gateways.Tests.Support;
using static Hft.Gateways.Tests.Support.GatewayFixture;

namespace Hft.Gateways.Tests.Binary;

/// <summary>Acknowledgments over the binary protocol leave only once the journal made the command durable: after a restart every acked order is there.</summary>
public class BinaryRestartTests
{
    [Fact]
    public async Task Orders_acked_over_binary_survive_a_restart_with_the_journal()
    {
        string dir = Path.Combine(Path.GetTempPath(), "hft-gateway-restart-" + Guid.NewGuid().ToString("N"));
        try
        {
            var ids = new List<long>();
            await using (var s = await StartAsync(c => c with { Journal = c.Journal with { Mode = "sync" } }, dir))
            {
                var c = await s.LoginAsync();
                for (ulong i = 1; i <= 3; i++)
                {
                    c.SendNewOrder(i, Btc, Side.Buy, OrderType.Limit, TimeInForce.Gtc, 4_900_000 + (long)i * 100, 10_000);
                    ids.Add((await c.ExpectAsync(MessageType.OrderAccepted)).OrderId);
                }
                c.SendCancel(2);
                await c.ExpectAsync(MessageType.Canceled);
            }
            await using (var s = await StartAsync(c => c with { Journal = c.Journal with { Mode = "sync" } }, dir))
            {
                var account = await s.GetJsonAsync("/api/v1/account", "A1");
                Assert.Equal(2, account.GetProperty("openOrders").GetInt32());
                var book = await s.GetJsonAsync("/api/v1/book/BTCUSD", "A1");
                var bids = book.GetProperty("bids").EnumerateArray().Select(l => l[0].GetString()).ToList();
                Assert.Equal(["49003", "49001"], bids.Select(p => p!.TrimEnd('0').TrimEnd('.')));

                // A new session adopts a recovered order by its exchange id and cancels it.
                var c = await s.LoginAsync();
                c.SendCancel(77, orderId: ids[2], instrument: Btc);
                var canceled = await c.ExpectAsync(MessageType.Canceled);
                Assert.Equal((77ul, ids[2], 10_000L), (canceled.ClientOrderId, canceled.OrderId, canceled.Quantity));
                // New ids continue after the recovered ones.
                c.SendNewOrder(4, Btc, Side.Buy, OrderType.Limit, TimeInForce.Gtc, 4_900_000, 10_000);
                Assert.True((await c.ExpectAsync(MessageType.OrderAccepted)).OrderId > ids.Max());
            }
        }
        finally
        {
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
