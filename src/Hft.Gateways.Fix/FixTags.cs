namespace Hft.Gateways.Fix;

/// <summary>FIX 4.4 tag numbers used by the acceptor (the standard's numbers; see docs/protocol/fix.md).</summary>
public static class FixTags
{
    public const int BeginString = 8;
    public const int BodyLength = 9;
    public const int CheckSum = 10;
    public const int MsgType = 35;
    public const int SenderCompId = 49;
    public const int TargetCompId = 56;
    public const int MsgSeqNum = 34;
    public const int SendingTime = 52;
    public const int PossDupFlag = 43;
    public const int PossResend = 97;
    public const int OrigSendingTime = 122;

    public const int BeginSeqNo = 7;
    public const int EndSeqNo = 16;
    public const int NewSeqNo = 36;
    public const int GapFillFlag = 123;
    public const int TestReqId = 112;
    public const int EncryptMethod = 98;
    public const int HeartBtInt = 108;
    public const int ResetSeqNumFlag = 141;

    /// <summary>Logon: the MsgSeqNum the sender expects next from us (FIX 4.4; lets a session continue on another node).</summary>
    public const int NextExpectedMsgSeqNum = 789;
    public const int Username = 553;
    public const int Password = 554;
    public const int Text = 58;
    public const int RefSeqNum = 45;
    public const int RefTagId = 371;
    public const int RefMsgType = 372;
    public const int SessionRejectReason = 373;
    public const int BusinessRejectReason = 380;
    public const int BusinessRejectRefId = 379;

    public const int Account = 1;
    public const int AvgPx = 6;
    public const int ClOrdId = 11;
    public const int CumQty = 14;
    public const int ExecId = 17;
    public const int ExecInst = 18;
    public const int LastPx = 31;
    public const int LastQty = 32;
    public const int OrderId = 37;
    public const int OrderQty = 38;
    public const int OrdStatus = 39;
    public const int OrdType = 40;
    public const int OrigClOrdId = 41;
    public const int Price = 44;
    public const int StopPx = 99;
    public const int Side = 54;
    public const int Symbol = 55;
    public const int TimeInForce = 59;
    public const int TransactTime = 60;
    public const int MaxFloor = 111;
    public const int ExpireTime = 126;
    public const int OrdRejReason = 103;
    public const int CxlRejReason = 102;
    public const int ExecType = 150;
    public const int ExecRestatementReason = 378;
    public const int LeavesQty = 151;
    public const int CxlRejResponseTo = 434;
    public const int MassCancelRequestType = 530;
    public const int MassCancelResponse = 531;
    public const int MassCancelRejectReason = 532;
    public const int TotalAffectedOrders = 533;
}

/// <summary>MsgType (35) values handled or sent.</summary>
public static class FixMsgTypes
{
    public const byte Heartbeat = (byte)'0';
    public const byte TestRequest = (byte)'1';
    public const byte ResendRequest = (byte)'2';
    public const byte Reject = (byte)'3';
    public const byte SequenceReset = (byte)'4';
    public const byte Logout = (byte)'5';
    public const byte ExecutionReport = (byte)'8';
    public const byte OrderCancelReject = (byte)'9';
    public const byte Logon = (byte)'A';
    public const byte NewOrderSingle = (byte)'D';
    public const byte OrderCancelRequest = (byte)'F';
    public const byte OrderCancelReplaceRequest = (byte)'G';
    public const byte BusinessMessageReject = (byte)'j';
    public const byte OrderMassCancelRequest = (byte)'q';
    public const byte OrderMassCancelReport = (byte)'r';

    /// <summary>The application messages the acceptor takes from a counterparty (any other gets a Business Message Reject 380=3).</summary>
    public static bool IsAcceptedApplication(byte type) => type is NewOrderSingle or OrderCancelRequest or OrderCancelReplaceRequest
        or OrderMassCancelRequest or BusinessMessageReject;

    /// <summary>Session-level (administrative) message types: never resent, gap-filled instead.</summary>
    public static bool IsAdmin(byte type) => type is Heartbeat or TestRequest or ResendRequest or Reject or SequenceReset or Logout or Logon;
}

/// <summary>SessionRejectReason (373) values used in Reject (3).</summary>
public enum SessionRejectReason
{
    InvalidTagNumber = 0,
    RequiredTagMissing = 1,
    TagNotDefinedForMessageType = 2,
    UndefinedTag = 3,
    TagSpecifiedWithoutValue = 4,
    ValueIncorrect = 5,
    IncorrectDataFormat = 6,
    CompIdProblem = 9,
    SendingTimeAccuracyProblem = 10,
    InvalidMsgType = 11,
    TagAppearsMoreThanOnce = 13,
    TagOutOfRequiredOrder = 14,
    RepeatingGroupFieldsOutOfOrder = 15,
    IncorrectNumInGroupCount = 16,
    Other = 99,
}

/// <summary>BusinessRejectReason (380) values of a Business Message Reject (j), FIX 4.4.</summary>
public enum BusinessRejectReason
{
    Other = 0,
    UnknownId = 1,
    UnknownSecurity = 2,
    UnsupportedMessageType = 3,
    ApplicationNotAvailable = 4,
    ConditionallyRequiredFieldMissing = 5,
    NotAuthorized = 6,
    DeliverToFirmNotAvailable = 7,
}
