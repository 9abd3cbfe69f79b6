namespace Hft.Configuration;

/// <summary>[gateway]: the professional order-entry gateways beside REST - the binary TCP protocol and FIX 4.4.</summary>
public sealed record GatewayConfig
{
    /// <summary>Serve the binary order-entry protocol (docs/protocol/binary.md).</summary>
    public bool BinaryEnabled { get; init; }

    /// <summary>TCP port of the binary protocol on [server] bind; 0 = any free port (tests).</summary>
    public int BinaryPort { get; init; } = 9100;

    /// <summary>Most binary sessions at once; further connections are told SessionLimit and closed.</summary>
    public int BinaryMaxSessions { get; init; } = 64;

    /// <summary>Binary heartbeat interval (ms): the server sends one when idle that long; a client silent for three intervals is disconnected.</summary>
    public int BinaryHeartbeatMs { get; init; } = 1000;

    /// <summary>Order messages (new, cancel, replace, mass cancel) per second one binary session may send; more are rejected rate_limited. 0 = unlimited.</summary>
    public int BinaryMaxMessagesPerSecond { get; init; } = 250_000;

    /// <summary>Serve the FIX 4.4 acceptor.</summary>
    public bool FixEnabled { get; init; }

    /// <summary>TCP port of the FIX acceptor on [server] bind; 0 = any free port (tests).</summary>
    public int FixPort { get; init; } = 9878;

    /// <summary>The FIX sessions the acceptor knows; a Logon from any other CompID pair is refused.</summary>
    public IReadOnlyList<FixSessionConfig> FixSessions { get; init; } = [];

    // ---- FIX acceptor tuning (docs/protocol/fix.md) ----

    /// <summary>Directory of the FIX sessions' sequence number files (one small file per session).</summary>
    public string FixStoreDir { get; init; } = "data/fix";

    /// <summary>Sequence files are fsynced at most this often (and always on logon, logout and close).</summary>
    public int FixSeqFsyncMs { get; init; } = 50;

    /// <summary>Smallest and largest HeartBtInt (108) a Logon may ask for, in seconds.</summary>
    public int FixHeartbeatMinSeconds { get; init; } = 1;

    public int FixHeartbeatMaxSeconds { get; init; } = 120;

    /// <summary>Largest BodyLength accepted; a longer message ends the connection.</summary>
    public int FixMaxMessageBytes { get; init; } = 8192;

    /// <summary>Sent application messages kept per session to answer ResendRequests (older ones are gap-filled).</summary>
    public int FixResendStoreMessages { get; init; } = 100_000;

    /// <summary>Inbound messages per second one session may send (0 = unlimited); beyond it, a Logout and a disconnect.</summary>
    public int FixMessagesPerSecond { get; init; }
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
