namespace Hft.Gateways.Binary;

/// <summary>Protocol constants (docs/protocol/binary.md): header layout, version, size limits.</summary>
public static class BinaryProtocol
{
    /// <summary>
    /// The newest protocol version, the one the client library logs on with. A Login may name any version from
    /// <see cref="MinVersion"/> to this one; the session then speaks that version (LoginAccepted echoes it).
    /// </summary>
    public const ushort Version = 2;

    /// <summary>The oldest version a Login may still name: version 1 sessions keep the version 1 messages, unchanged.</summary>
    public const ushort MinVersion = 1;

    public static bool IsSupported(ushort version) => version is >= MinVersion and <= Version;

    /// <summary>
    /// The version that introduced a message type: a session of an older version may not send it (unknown_message_type)
    /// and is not sent it.
    /// </summary>
    public static ushort SinceVersion(MessageType type) => type is MessageType.NewOrderV2 or MessageType.Triggered or MessageType.ReplaceOrderV2
        or MessageType.ReplacedV2 or MessageType.Refreshed ? (ushort)2 : (ushort)1;

    /// <summary>Every frame starts with: u16 length (whole frame, header included), u8 type, u8 reserved (0), u32 sequence.</summary>
    public const int HeaderSize = 8;

    /// <summary>The largest frame: a Login carrying a JWT. Fixed-size messages are far smaller.</summary>
    public const int MaxFrameSize = 2048;

    /// <summary>The largest credential (API key or JWT) a Login may carry.</summary>
    public const int MaxCredentialLength = MaxFrameSize - HeaderSize - 8;

    /// <summary>Largest fixed-size server message (a Fill), for sizing send buffers.</summary>
    public const int MaxServerMessageSize = 64;

    /// <summary>Largest fixed-size message of either direction (a NewOrderV2), for sizing a client's send buffer.</summary>
    public const int MaxFixedMessageSize = 72;
}
