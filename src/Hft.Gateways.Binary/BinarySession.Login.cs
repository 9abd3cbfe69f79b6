using System.Buffers;
using Hft.Risk;

namespace Hft.Gateways.Binary;

public sealed partial class BinarySession
{
    private const string Channel = "binary";

    private SessionOrders? _orders;
    private AccountRisk? _risk; // the logged-on account's kill switch, watched by the gateway timer
    private bool _loginRejected;
    private ushort _version; // the protocol version the Login named (logged on only)

    /// <summary>The session's order maps (logged on only: no order message is handled before).</summary>
    private SessionOrders Orders => _orders ?? throw new InvalidOperationException("the session has not logged on");

    /// <summary>
    /// A Login: refused while its address is locked out, then judged (version, credential, account known and enabled,
    /// the account's lockout); every refusal of the credential counts as a failed login (audited, may lock out the
    /// account or address on every gateway). A valid login still needs a session place (<see cref="SessionSlots"/>).
    /// </summary>
    private async Task LoginAsync(ushort version, AuthKind kind, byte[] credential)
    {
        var logins = _gateway.Logins;
        var remote = _ticket.Address;
        if (!logins.MayTry(Channel, null, remote, out _))
        {
            RejectLogin(LoginRejectReason.LockedOut);
            return;
        }
        var (rejected, account, name) = !BinaryProtocol.IsSupported(version) ? (LoginRejectReason.UnsupportedVersion, -1, "")
            : credential.Length == 0 ? (LoginRejectReason.BadAuthKind, -1, "")
            : await _gateway.Authenticator.AuthenticateAsync(kind, credential);
        string? named = name.Length > 0 ? name : null;
        if (named is not null && !logins.MayTry(Channel, named, remote, out _))
        {
            RejectLogin(LoginRejectReason.LockedOut);
            return;
        }
        if (rejected is { } reason)
        {
            logins.Failed(Channel, named, remote, Describe(reason));
            RejectLogin(reason);
            return;
        }
        if (Closing) return; // the login deadline passed while the credential was checked
        if (_gateway.Slots.TryClaim(account) is { } full)
        {
            _gateway.Audit.Write(name, Channel + ".login_refused", name, "refused", remote.ToString(), Describe(full));
            RejectLogin(full);
            return;
        }
        logins.Succeeded(name);
        _version = version;
        BeginTrading(account);
    }

    private void RejectLogin(LoginRejectReason reason)
    {
        _loginRejected = true; // LoginRejected says why: no Logout follows
        EnqueueImmediate(new BinaryMessage { Type = MessageType.LoginRejected, Reason = (byte)reason });
        Close(reason is LoginRejectReason.SessionLimit or LoginRejectReason.AccountSessionLimit ? DisconnectReason.SessionLimit : DisconnectReason.LoginFailed);
    }

    /// <summary>Logged on (a session place is taken): the session's full-size structures, then LoginAccepted.</summary>
    private void BeginTrading(int account)
    {
        _orders = new SessionOrders(_pipeline.Shards.Count, QueueCapacity);
        lock (_gate) GrowQueue();
        _receiveBuffer = ArrayPool<byte>.Shared.Rent(ReceiveBufferSize); // the receive loop moves over once this returns
        Volatile.Write(ref _sendBuffer, ArrayPool<byte>.Shared.Rent(SendBufferSize));
        _account = account;
        _risk = _pipeline.RiskBook.Account(account);
        _subscription = _gateway.AccountEvents.Subscribe(account, this);
        _loggedIn = true;
        _ticket.LoggedOn();
        _metrics.Sessions.Inc();
        EnqueueImmediate(new BinaryMessage
        {
            Type = MessageType.LoginAccepted, Version = _version, HeartbeatMs = (uint)_gateway.Config.BinaryHeartbeatMs,
            Count = (uint)_pipeline.Instruments.Count, MaxRate = (uint)_gateway.Config.BinaryMaxMessagesPerSecond,
        });
    }

    private static string Describe(LoginRejectReason reason) => reason switch
    {
        LoginRejectReason.UnsupportedVersion => "unsupported protocol version",
        LoginRejectReason.BadCredentials => "bad credentials",
        LoginRejectReason.UnknownAccount => "unknown account",
        LoginRejectReason.AccountDisabled => "account disabled",
        LoginRejectReason.BadAuthKind => "bad auth kind or empty credential",
        LoginRejectReason.SessionLimit => "binary_max_sessions sessions are logged on",
        LoginRejectReason.AccountSessionLimit => "binary_max_sessions_per_account sessions of this account are logged on",
        _ => reason.ToString(),
    };
}
