namespace Hft.Configuration;

/// <summary>[gateway]: the professional order-entry gateways beside REST - the binary TCP protocol and FIX 4.4.</summary>
public sealed record GatewayConfig
{
    /// <summary>Serve the binary order-entry protocol (docs/protocol/binary.md).</summary>
    public bool BinaryEnabled { get; init; }

    /// <summary>TCP port of the binary protocol on [server] bind; 0 = any free port (tests).</summary>
    public int BinaryPort { get; init; } = 9100;

    /// <summary>Most logged-on binary sessions at once; a login beyond it is refused (session_limit). Connections waiting to log on are bounded by [security].</summary>
    public int BinaryMaxSessions { get; init; } = 64;

    /// <summary>Most logged-on binary sessions of one account, so one account cannot take every session (account_session_limit).</summary>
    public int BinaryMaxSessionsPerAccount { get; init; } = 16;

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

    /// <summary>
    /// Largest difference between a message's SendingTime (52) and our clock, in seconds: beyond it a Logon is refused
    /// and a logged-on session gets a Reject (SessionRejectReason 10) and a Logout.
    /// </summary>
    public int FixSendingTimeToleranceSeconds { get; init; } = 120;

    /// <summary>
    /// User-defined tags (5000 and above) a venue agreed with its counterparties: accepted in application messages and
    /// ignored by the order handling. Any other tag outside FIX 4.4's range gets a Reject (SessionRejectReason 0).
    /// </summary>
    public IReadOnlyList<int> FixAllowedCustomTags { get; init; } = [];
    // ---- socket buffers of every order-entry and market-data listener (docs/DEPLOYMENT.md, "Network buffers") ----

    /// <summary>
    /// SO_RCVBUF of the binary, FIX and HTTP/WebSocket listeners' sockets (set on the listening socket, so every accepted
    /// connection has it); 0 = the kernel's default (net.ipv4.tcp_rmem). The kernel caps it at net.core.rmem_max.
    /// </summary>
    public int SocketReceiveBufferBytes { get; init; }

    /// <summary>SO_SNDBUF of the same sockets; 0 = the kernel's default (net.ipv4.tcp_wmem), capped at net.core.wmem_max.</summary>
    public int SocketSendBufferBytes { get; init; }

    internal static GatewayConfig Bind(SectionReader r, GatewayConfig defaults) => new()
    {
        BinaryEnabled = r.Bool("binary_enabled", defaults.BinaryEnabled),
        BinaryPort = r.Int("binary_port", defaults.BinaryPort, 0, 65_535),
        BinaryMaxSessions = r.Int("binary_max_sessions", defaults.BinaryMaxSessions, 1, 10_000),
        BinaryMaxSessionsPerAccount = r.Int("binary_max_sessions_per_account", defaults.BinaryMaxSessionsPerAccount, 1, 10_000),
        BinaryHeartbeatMs = r.Int("binary_heartbeat_ms", defaults.BinaryHeartbeatMs, 100, 60_000),
        BinaryMaxMessagesPerSecond = r.Int("binary_max_messages_per_second", defaults.BinaryMaxMessagesPerSecond, 0, 100_000_000),
        FixEnabled = r.Bool("fix_enabled", defaults.FixEnabled),
        FixPort = r.Int("fix_port", defaults.FixPort, 0, 65_535),
        FixSessions = r.BindTableArray("fix_sessions", defaults.FixSessions, FixSessionConfig.Bind),
        FixStoreDir = r.String("fix_store_dir", defaults.FixStoreDir),
        FixSeqFsyncMs = r.Int("fix_seq_fsync_ms", defaults.FixSeqFsyncMs, 0, 60_000),
        FixHeartbeatMinSeconds = r.Int("fix_heartbeat_min_seconds", defaults.FixHeartbeatMinSeconds, 1, 3600),
        FixHeartbeatMaxSeconds = r.Int("fix_heartbeat_max_seconds", defaults.FixHeartbeatMaxSeconds, 1, 3600),
        FixMaxMessageBytes = r.Int("fix_max_message_bytes", defaults.FixMaxMessageBytes, 256, 1_048_576),
        FixResendStoreMessages = r.Int("fix_resend_store_messages", defaults.FixResendStoreMessages, 1, 10_000_000),
        FixMessagesPerSecond = r.Int("fix_messages_per_second", defaults.FixMessagesPerSecond, 0, 100_000_000),
        FixSendingTimeToleranceSeconds = r.Int("fix_sending_time_tolerance_seconds", defaults.FixSendingTimeToleranceSeconds, 1, 86_400),
        FixAllowedCustomTags = r.IntList("fix_allowed_custom_tags", defaults.FixAllowedCustomTags, 5000, 999_999_999),
        SocketReceiveBufferBytes = SocketBuffer(r, "socket_receive_buffer_bytes", defaults.SocketReceiveBufferBytes),
        SocketSendBufferBytes = SocketBuffer(r, "socket_send_buffer_bytes", defaults.SocketSendBufferBytes),
    };

    /// <summary>0 (the kernel's default) or 4 KiB .. 1 GiB.</summary>
    private static int SocketBuffer(SectionReader r, string key, int defaultValue)
    {
        int value = r.Int(key, defaultValue, 0, 1 << 30);
        if (value is > 0 and < 4096) throw r.Error(key, $"must be 0 (the kernel's default) or at least 4096, got {value}");
        return value;
    }

    /// <summary>Distinct ports, a per-account session cap within the total, a heartbeat range, and FIX sessions with a password hash and a unique CompID pair.</summary>
    internal void Validate(BindContext ctx)
    {
        if (BinaryMaxSessionsPerAccount > BinaryMaxSessions)
            throw ctx.Error("gateway", "binary_max_sessions_per_account",
                $"must not exceed binary_max_sessions ({BinaryMaxSessions}), got {BinaryMaxSessionsPerAccount}");
        if (BinaryEnabled && FixEnabled && BinaryPort != 0 && BinaryPort == FixPort)
            throw ctx.Error("gateway", "fix_port", $"must differ from binary_port, both are {FixPort}");
        if (FixHeartbeatMinSeconds > FixHeartbeatMaxSeconds)
            throw ctx.Error("gateway", "fix_heartbeat_min_seconds", $"must not exceed fix_heartbeat_max_seconds ({FixHeartbeatMaxSeconds}), got {FixHeartbeatMinSeconds}");
        var pairs = new HashSet<(string, string)>();
        for (int i = 0; i < FixSessions.Count; i++)
        {
            var session = FixSessions[i];
            var section = $"gateway.fix_sessions[{i}]";
            session.Validate(section, ctx);
            if (!pairs.Add((session.SenderCompId, session.TargetCompId)))
                throw ctx.Error(section, "sender_comp_id", $"duplicate session {session.SenderCompId}->{session.TargetCompId}");
        }
    }
}
