namespace Hft.Gateways.Fix;

/// <summary>What an accepted Logon set for its connection: HeartBtInt, ResetSeqNumFlag, NextExpectedMsgSeqNum (0: absent).</summary>
internal readonly record struct LogonTerms(int HeartBtInt, bool Reset, long NextExpected);

/// <summary>
/// Why a Logon is refused: the disconnect reason (metrics), the Logout's Text (null: closed without a reply), and
/// whether that Logout may take the session's next MsgSeqNum (see <see cref="FixSession.RefusalLogout"/>).
/// </summary>
internal sealed record LogonRefusal(string Reason, string? Text, bool TakeNumber);
