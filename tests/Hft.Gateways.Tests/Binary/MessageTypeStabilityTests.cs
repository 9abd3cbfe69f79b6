using Hft.Core.Events;
using Hft.Core.Orders;
using Hft.Gateways.Binary;

namespace Hft.Gateways.Tests.Binary;

/// <summary>Wire codes never change meaning: every protocol code, and the Hft.Core reason codes the protocol carries, pinned.</summary>
public class MessageTypeStabilityTests
{
    [Fact]
    public void Message_type_codes_are_pinned()
    {
        var expected = new Dictionary<MessageType, byte>
        {
            [MessageType.Login] = 0x01, [MessageType.Logout] = 0x02, [MessageType.Heartbeat] = 0x03,
            [MessageType.NewOrder] = 0x10, [MessageType.CancelOrder] = 0x11, [MessageType.ReplaceOrder] = 0x12, [MessageType.MassCancel] = 0x13,
            [MessageType.NewOrderV2] = 0x14, [MessageType.Triggered] = 0x96,
            [MessageType.ReplaceOrderV2] = 0x15, [MessageType.ReplacedV2] = 0x97, [MessageType.Refreshed] = 0x98,
            [MessageType.LoginAccepted] = 0x81, [MessageType.LoginRejected] = 0x82, [MessageType.LogoutNotice] = 0x83,
            [MessageType.ServerHeartbeat] = 0x84, [MessageType.SessionReject] = 0x85,
            [MessageType.OrderAccepted] = 0x90, [MessageType.OrderRejected] = 0x91, [MessageType.Fill] = 0x92, [MessageType.Canceled] = 0x93,
            [MessageType.Replaced] = 0x94, [MessageType.MassCancelDone] = 0x95,
        };
        Assert.Equal(expected.Count, Enum.GetValues<MessageType>().Length);
        foreach (var (type, code) in expected) Assert.Equal(code, (byte)type);
    }

    [Fact]
    public void Frame_sizes_are_pinned()
    {
        var expected = new Dictionary<MessageType, int>
        {
            [MessageType.Login] = 16, [MessageType.Logout] = 16, [MessageType.Heartbeat] = 8, [MessageType.NewOrder] = 48,
            [MessageType.CancelOrder] = 32, [MessageType.ReplaceOrder] = 48, [MessageType.MassCancel] = 24, [MessageType.LoginAccepted] = 24,
            [MessageType.LoginRejected] = 16, [MessageType.LogoutNotice] = 16, [MessageType.ServerHeartbeat] = 8, [MessageType.SessionReject] = 16,
            [MessageType.OrderAccepted] = 48, [MessageType.OrderRejected] = 32, [MessageType.Fill] = 64, [MessageType.Canceled] = 40,
            [MessageType.Replaced] = 48, [MessageType.MassCancelDone] = 24, [MessageType.NewOrderV2] = 72, [MessageType.Triggered] = 48,
            [MessageType.ReplaceOrderV2] = 56, [MessageType.ReplacedV2] = 56, [MessageType.Refreshed] = 56,
        };
        foreach (var type in Enum.GetValues<MessageType>()) Assert.Equal(expected[type], BinaryCodec.FrameSize(type));
        Assert.True(Enum.GetValues<MessageType>().Where(t => t != MessageType.Login).All(t => BinaryCodec.FrameSize(t) <= BinaryProtocol.MaxFixedMessageSize));
    }

    [Fact]
    public void Versions_and_the_version_each_message_came_with_are_pinned()
    {
        Assert.Equal(2, BinaryProtocol.Version);
        Assert.Equal(1, BinaryProtocol.MinVersion);
        foreach (var type in Enum.GetValues<MessageType>())
            Assert.Equal(type is MessageType.NewOrderV2 or MessageType.Triggered or MessageType.ReplaceOrderV2 or MessageType.ReplacedV2
                or MessageType.Refreshed ? 2 : 1, BinaryProtocol.SinceVersion(type));
    }

    [Fact]
    public void Order_type_and_time_in_force_codes_carried_on_the_wire_are_pinned()
    {
        Assert.Equal([1, 2, 3, 4, 5, 6], Enum.GetValues<OrderType>().Select(t => (int)(byte)t));
        Assert.Equal(["Limit", "Market", "Stop", "StopLimit", "TakeProfit", "TakeProfitLimit"], Enum.GetNames<OrderType>());
        Assert.Equal([1, 2, 3, 4], Enum.GetValues<TimeInForce>().Select(t => (int)(byte)t));
        Assert.Equal(["Gtc", "Ioc", "Fok", "Gtd"], Enum.GetNames<TimeInForce>());
    }

    [Fact]
    public void Session_codes_are_pinned()
    {
        Assert.Equal(Enumerable.Range(0, 18).Select(i => (byte)i), Enum.GetValues<DisconnectReason>().Select(r => (byte)r));
        Assert.Equal([DisconnectReason.ClientLogout, DisconnectReason.MalformedFrame, DisconnectReason.OversizedFrame, DisconnectReason.TruncatedFrame,
            DisconnectReason.BadSequence, DisconnectReason.NotLoggedIn, DisconnectReason.UnknownMessageType, DisconnectReason.HeartbeatTimeout,
            DisconnectReason.SlowConsumer, DisconnectReason.ServerShutdown, DisconnectReason.LoginFailed, DisconnectReason.SessionLimit,
            DisconnectReason.ConnectionLost, DisconnectReason.UnexpectedLogin, DisconnectReason.LoginTimeout, DisconnectReason.ConnectionLimit,
            DisconnectReason.AccountDisabled, DisconnectReason.TlsHandshake],
            Enum.GetValues<DisconnectReason>());
        Assert.Equal(1, (byte)LoginRejectReason.UnsupportedVersion);
        Assert.Equal(2, (byte)LoginRejectReason.BadCredentials);
        Assert.Equal(3, (byte)LoginRejectReason.UnknownAccount);
        Assert.Equal(4, (byte)LoginRejectReason.AccountDisabled);
        Assert.Equal(5, (byte)LoginRejectReason.BadAuthKind);
        Assert.Equal(6, (byte)LoginRejectReason.SessionLimit);
        Assert.Equal(7, (byte)LoginRejectReason.AccountSessionLimit);
        Assert.Equal(8, (byte)LoginRejectReason.LockedOut);
        Assert.Equal(1, (byte)AuthKind.ApiKey);
        Assert.Equal(2, (byte)AuthKind.Jwt);
        Assert.Equal(1, (byte)Liquidity.Maker);
        Assert.Equal(2, (byte)Liquidity.Taker);
        Assert.Equal(1, (byte)SessionRejectReason.InvalidField);
        Assert.Equal((1, 2), (BinaryMessage.HasPriceFlag, BinaryMessage.HasTriggerFlag)); // ReplaceOrder(V2) flag bits
        Assert.Equal(1, BinaryMessage.PostOnlyFlag);
    }

    [Fact]
    public void Reject_and_cancel_reason_codes_carried_on_the_wire_are_pinned()
    {
        string[] rejects =
        [
            "None", "UnknownSymbol", "InvalidPrice", "InvalidQty", "DuplicateId", "UnknownOrder", "InvalidOrderType", "AccountDisabled",
            "InstrumentHalted", "MaxQty", "MaxNotional", "PriceBand", "MaxOpenOrders", "MaxPosition", "CreditLimit", "NoReferencePrice",
            "Overloaded", "RateLimited", "NotLeader", "ShuttingDown", "InvalidTriggerPrice", "WouldTriggerImmediately", "InvalidDisplayQty",
            "InvalidExpireTime",
        ];
        for (int i = 0; i < rejects.Length; i++) Assert.Equal(rejects[i], ((RejectReason)i).ToString());
        string[] cancels =
        [
            "None", "User", "IocRemainder", "FokUnfilled", "PostOnlyWouldCross", "SelfTrade", "MarketNoLiquidity", "PriceBand",
            "AccountDisabled", "Admin", "Expired",
        ];
        for (int i = 0; i < cancels.Length; i++) Assert.Equal(cancels[i], ((CancelReason)i).ToString());
    }
}
