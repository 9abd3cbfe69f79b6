namespace Hft.Gateways.Binary;

/// <summary>
/// Binary protocol message type codes (docs/protocol/binary.md). On the wire: append only, never renumber or reuse
/// (pinned by MessageTypeStabilityTests). Client → server codes are below 0x80, server → client codes 0x80 and above.
/// </summary>
public enum MessageType : byte
{
    // ---- client → server: session ----
    Login = 0x01,
    Logout = 0x02,
    Heartbeat = 0x03,

    // ---- client → server: orders ----
    NewOrder = 0x10,
    CancelOrder = 0x11,
    ReplaceOrder = 0x12,
    MassCancel = 0x13,

    /// <summary>Version 2: a new order with a trigger price, display quantity and expire time (stop, take-profit, iceberg, GTD).</summary>
    NewOrderV2 = 0x14,

    /// <summary>Version 2: a replace that may also move a pending stop / take-profit order's trigger price.</summary>
    ReplaceOrderV2 = 0x15,

    // ---- server → client: session ----
    LoginAccepted = 0x81,
    LoginRejected = 0x82,
    LogoutNotice = 0x83,
    ServerHeartbeat = 0x84,
    SessionReject = 0x85,

    // ---- server → client: orders ----
    OrderAccepted = 0x90,
    OrderRejected = 0x91,
    Fill = 0x92,
    Canceled = 0x93,
    Replaced = 0x94,
    MassCancelDone = 0x95,

    /// <summary>Version 2: a pending stop / take-profit order fired and entered matching.</summary>
    Triggered = 0x96,

    /// <summary>Version 2: the answer to a replace that moved a pending order's trigger price (Replaced with the new trigger).</summary>
    ReplacedV2 = 0x97,

    /// <summary>Version 2: an iceberg's displayed slice was used up and a new one shown from its reserve; it lost time priority.</summary>
    Refreshed = 0x98,
}
