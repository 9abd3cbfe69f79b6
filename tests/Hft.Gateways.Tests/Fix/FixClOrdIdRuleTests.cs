using Hft.Gateways.Fix;

namespace Hft.Gateways.Tests.Fix;

/// <summary>ClOrdID follows the venue's one client order id rule (as REST's clientOrderId): 1 to 64 printable ASCII characters, no spaces.</summary>
public class FixClOrdIdRuleTests
{
    public static TheoryData<byte[]> Unsafe => new()
    {
        "with space"u8.ToArray(),
        "tab\there"u8.ToArray(),
        "line\r\nbreak"u8.ToArray(),
        new byte[] { (byte)'c', 0xC3, 0xA9 },
        new byte[] { (byte)'x', 0x7F },
        new byte[] { 0xE2, 0x80, 0xAE, (byte)'x' }, // U+202E in UTF-8
        System.Text.Encoding.ASCII.GetBytes(new string('7', 65)),
    };

    [Theory]
    [MemberData(nameof(Unsafe))]
    public async Task New_order_and_replace_with_an_unsafe_ClOrdID_are_refused_and_nothing_is_placed(byte[] clOrdId)
    {
        await using var f = await FixServerFixture.StartAsync();
        await using var c = await f.LogonAsync();
        c.NewOrder(clOrdId, "BTCUSD"u8, (byte)'1', "0.1"u8, "49000.00"u8, (byte)'2', 0, [], flush: true);
        var rejected = c.Expect(m => m.MsgType == "8");
        Assert.Equal(("8", "8", "99"), (rejected[FixTags.ExecType], rejected[FixTags.OrdStatus], rejected[FixTags.OrdRejReason]));
        Assert.Contains("printable ASCII", rejected[FixTags.Text]);

        c.NewOrder("SAFE-1", "BTCUSD", '1', "0.1", "49000.00");
        Assert.Equal("0", c.Expect(m => m.MsgType == "8")[FixTags.ExecType]);
        c.Replace(clOrdId, "SAFE-1"u8, "BTCUSD"u8, (byte)'1', "0.2"u8, "49001.00"u8, flush: true);
        var refused = c.Expect(m => m.MsgType is "8" or "9");
        Assert.Equal("9", refused.MsgType);
        Assert.Contains("printable ASCII", refused[FixTags.Text]);

        // the order stands as placed: a replace with a safe id still finds it untouched
        c.Replace("SAFE-2", "SAFE-1", "BTCUSD", '1', "0.3", "49002.00");
        var replaced = c.Expect(m => m.MsgType is "8" or "9");
        Assert.Equal(("8", "5", "0.3"), (replaced.MsgType, replaced[FixTags.ExecType], replaced[FixTags.LeavesQty]));
    }
}
