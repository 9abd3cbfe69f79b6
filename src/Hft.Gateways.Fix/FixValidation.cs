namespace Hft.Gateways.Fix;

/// <summary>What <see cref="FixValidator"/> decided of an inbound message.</summary>
public enum FixVerdict : byte
{
    Accept,
    /// <summary>A session Reject (3) with 45, 371, 372, 373.</summary>
    SessionReject,
    /// <summary>A Business Message Reject (j) with 45, 372, 379 when the message has a ClOrdID, 380.</summary>
    BusinessReject,
}

/// <summary>
/// The verdict of one message's validation, the reason and the tag it names (RefTagID of a Reject, the missing field
/// of a Business Message Reject) and the Text (58) to send. Its strings are built once, never per message.
/// </summary>
public readonly record struct FixValidation(FixVerdict Verdict, SessionRejectReason SessionReason, BusinessRejectReason BusinessReason, int RefTag,
    string? Text)
{
    public static FixValidation Accepted => default;

    public static FixValidation Session(SessionRejectReason reason, int tag) =>
        new(FixVerdict.SessionReject, reason, BusinessRejectReason.Other, tag, FixDictionary.Text(reason));

    public static FixValidation Business(BusinessRejectReason reason, int tag, string text) =>
        new(FixVerdict.BusinessReject, SessionRejectReason.Other, reason, tag, text);
}
