namespace Hft.Gateways.Binary;

/// <summary>Protocol constants (docs/protocol/binary.md): header layout, version, size limits.</summary>
public static class BinaryProtocol
{
    /// <summary>The protocol version a Login must name.</summary>
    public const ushort Version = 1;

    /// <summary>Every frame starts with: u16 length (whole frame, header included), u8 type, u8 reserved (0), u32 sequence.</summary>
    public const int HeaderSize = 8;

    /// <summary>The largest frame: a Login carrying a JWT. Fixed-size messages are far smaller.</summary>
    public const int MaxFrameSize = 2048;

    /// <summary>The largest credential (API key or JWT) a Login may carry.</summary>
    public const int MaxCredentialLength = MaxFrameSize - HeaderSize - 8;

    /// <summary>Largest fixed-size server message (a Fill), for sizing send buffers.</summary>
    public const int MaxServerMessageSize = 64;
}
