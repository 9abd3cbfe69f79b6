namespace Hft.Gateways.Binary;

/// <summary>Why the server ends a session (Logout reason, and the <c>reason</c> label of hft_gateway_disconnects_total). Wire codes: append only.</summary>
public enum DisconnectReason : byte
{
    /// <summary>The client logged out.</summary>
    ClientLogout = 0,
    /// <summary>Bytes that are not a frame: a length below the header size or a malformed fixed-size body.</summary>
    MalformedFrame = 1,
    /// <summary>A length above the maximum frame size.</summary>
    OversizedFrame = 2,
    /// <summary>The connection closed in the middle of a frame.</summary>
    TruncatedFrame = 3,
    /// <summary>A sequence number other than the next expected one.</summary>
    BadSequence = 4,
    /// <summary>A message other than Login before the login succeeded.</summary>
    NotLoggedIn = 5,
    /// <summary>A message type code the protocol does not define (or a server → client code).</summary>
    UnknownMessageType = 6,
    /// <summary>A logged-on client sent no message for three heartbeat intervals.</summary>
    HeartbeatTimeout = 7,
    /// <summary>The client does not read its responses fast enough: the session's outbound queue is full.</summary>
    SlowConsumer = 8,
    /// <summary>The server is shutting down.</summary>
    ServerShutdown = 9,
    /// <summary>The login was refused (see the LoginRejected reason sent before).</summary>
    LoginFailed = 10,
    /// <summary>A login beyond binary_max_sessions or binary_max_sessions_per_account (the LoginRejected sent before says which; no Logout follows).</summary>
    SessionLimit = 11,
    /// <summary>The peer closed the connection or it failed.</summary>
    ConnectionLost = 12,
    /// <summary>A second Login on a logged-in session.</summary>
    UnexpectedLogin = 13,
    /// <summary>No successful Login within <c>[security] login_timeout_seconds</c> of connecting.</summary>
    LoginTimeout = 14,
    /// <summary>Refused at accept: too many connections from this address, or waiting to log on (<c>[security]</c>).</summary>
    ConnectionLimit = 15,
    /// <summary>The account was disabled (kill switch) while logged on; the kill switch cancels its open orders.</summary>
    AccountDisabled = 16,
    /// <summary>The TLS handshake failed or did not finish within the login timeout (never sent: there is no channel to send it on).</summary>
    TlsHandshake = 17,
}

/// <summary>Why a Login was refused. Wire codes: append only.</summary>
public enum LoginRejectReason : byte
{
    /// <summary>The protocol version is not supported by this server.</summary>
    UnsupportedVersion = 1,
    /// <summary>Unknown API key, or a token that is invalid, expired or not for this venue.</summary>
    BadCredentials = 2,
    /// <summary>The credentials name an account this venue does not know.</summary>
    UnknownAccount = 3,
    /// <summary>The account is disabled (kill switch or config).</summary>
    AccountDisabled = 4,
    /// <summary>An authentication kind other than 1 (API key) or 2 (JWT), or an empty or oversized credential.</summary>
    BadAuthKind = 5,
    /// <summary>The gateway holds <c>binary_max_sessions</c> logged-on sessions.</summary>
    SessionLimit = 6,
    /// <summary>The account holds <c>binary_max_sessions_per_account</c> logged-on sessions.</summary>
    AccountSessionLimit = 7,
    /// <summary>Too many failed logins of this account or from this address: refused, even with the right secret, until the lockout ends.</summary>
    LockedOut = 8,
}

/// <summary>How a Login authenticates. Wire codes: append only.</summary>
public enum AuthKind : byte
{
    ApiKey = 1,
    Jwt = 2,
}

/// <summary>Whether a fill's order provided liquidity (rested) or took it. Wire codes: append only.</summary>
public enum Liquidity : byte
{
    Maker = 1,
    Taker = 2,
}

/// <summary>Why an individual message was refused without ending the session (SessionReject). Wire codes: append only.</summary>
public enum SessionRejectReason : byte
{
    /// <summary>An enumerated field (side, type, tif, stp, flags) holds a value the protocol does not define.</summary>
    InvalidField = 1,
}
