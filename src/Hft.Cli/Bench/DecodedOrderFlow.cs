using Hft.Core.Matching;
using Hft.Core.Orders;
using Hft.Gateways.Binary;

namespace Hft.Cli.Bench;

/// <summary>
/// A command stream as the binary gateway receives it, built before any timing: each command written into its
/// order-entry frame (NewOrder, CancelOrder, ReplaceOrder) and read back with <see cref="BinaryCodec"/>, so the
/// measured path starts from exactly what the gateway's decoder hands on. The client order id is the generator's order
/// id; cancels and replaces name their order by it (exchange order id 0), as a client that has not kept the
/// exchange's ids does. Each message also carries the account of the session it arrives on.
/// </summary>
internal sealed class DecodedOrderFlow
{
    private DecodedOrderFlow(BinaryMessage[] messages, int[] sessionAccounts, long maxClientOrderId, int newOrders)
    {
        Messages = messages;
        SessionAccounts = sessionAccounts;
        MaxClientOrderId = maxClientOrderId;
        NewOrders = newOrders;
    }

    public BinaryMessage[] Messages { get; }

    /// <summary>By message: the node's id of the account its session is logged in for.</summary>
    public int[] SessionAccounts { get; }

    public long MaxClientOrderId { get; }

    public int NewOrders { get; }

    /// <param name="accountIds">Generator account -> the node's account id.</param>
    /// <param name="instrumentIds">Generator instrument -> the node's instrument index.</param>
    public static DecodedOrderFlow From(ReadOnlySpan<OrderCommand> commands, int[] accountIds, int[] instrumentIds)
    {
        var messages = new BinaryMessage[commands.Length];
        var accounts = new int[commands.Length];
        Span<byte> frame = stackalloc byte[BinaryProtocol.MaxFrameSize];
        long maxId = 0;
        int newOrders = 0;
        for (int i = 0; i < commands.Length; i++)
        {
            ref readonly var cmd = ref commands[i];
            var m = Encodable(in cmd, instrumentIds[cmd.Instrument]);
            int length = BinaryCodec.Write(in m, (uint)(i + 1), frame);
            if (!BinaryCodec.TryRead(frame[..length], out messages[i]))
                throw new InvalidOperationException($"command {i}: its {m.Type} frame does not decode");
            accounts[i] = accountIds[cmd.Account];
            maxId = Math.Max(maxId, cmd.OrderId);
            if (cmd.Op == CommandOp.New) newOrders++;
        }
        return new DecodedOrderFlow(messages, accounts, maxId, newOrders);
    }

    private static BinaryMessage Encodable(in OrderCommand cmd, int instrument) => cmd.Op switch
    {
        CommandOp.New => new BinaryMessage
        {
            Type = MessageType.NewOrder, ClientOrderId = (ulong)cmd.OrderId, Instrument = instrument, Side = cmd.Side,
            OrderType = cmd.Type, Tif = cmd.Tif, Stp = cmd.Stp, Price = cmd.Type == OrderType.Limit ? cmd.Price : 0,
            Quantity = cmd.Quantity, Flags = cmd.PostOnly ? BinaryMessage.PostOnlyFlag : (byte)0,
        },
        CommandOp.Cancel => new BinaryMessage { Type = MessageType.CancelOrder, ClientOrderId = (ulong)cmd.OrderId, Instrument = instrument },
        CommandOp.Replace => new BinaryMessage
        {
            Type = MessageType.ReplaceOrder, ClientOrderId = (ulong)cmd.OrderId, Instrument = instrument, Price = cmd.Price,
            Quantity = cmd.Quantity, Flags = cmd.HasPrice ? BinaryMessage.HasPriceFlag : (byte)0,
        },
        _ => throw new InvalidOperationException($"no order-entry message for {cmd.Op}"),
    };
}
