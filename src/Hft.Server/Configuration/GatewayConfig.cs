namespace Hft.Server.Configuration;

/// <summary>[gateway]: the professional order-entry gateways beside REST - the binary TCP protocol and FIX 4.4.</summary>
public sealed record GatewayConfig
{
    /// <summary>Serve the binary order-entry protocol (docs/protocol/binary.md).</summary>
    public bool BinaryEnabled { get; init; }

    /// <summary>TCP port of the binary protocol on [server] bind; 0 = any free port (tests).</summary>
    public int BinaryPort { get; init; } = 9100;

    /// <summary>Serve the FIX 4.4 acceptor.</summary>
    public bool FixEnabled { get; init; }

    /// <summary>TCP port of the FIX acceptor on [server] bind; 0 = any free port (tests).</summary>
    public int FixPort { get; init; } = 9878;

    /// <summary>The FIX sessions the acceptor knows; a Logon from any other CompID pair is refused.</summary>
    public IReadOnlyList<FixSessionConfig> FixSessions { get; init; } = [];
}

/// <summary>One [[gateway.fix_sessions]] entry: a counterparty's CompIDs, the account it trades for and its password.</summary>
public sealed record FixSessionConfig
{
    /// <summary>The client's SenderCompID (49) - our TargetCompID.</summary>
    public string SenderCompId { get; init; } = "";

    /// <summary>The CompID the client addresses us by (56) - our SenderCompID.</summary>
    public string TargetCompId { get; init; } = "HFT";

    /// <summary>The account the session's orders belong to.</summary>
    public string Account { get; init; } = "";

    /// <summary>SHA-256 (hex) of the Logon password (554); the plain password is never stored.</summary>
    public string PasswordSha256 { get; init; } = "";
}
