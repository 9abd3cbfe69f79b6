namespace Hft.Gateways.Binary;

/// <summary>A session's live order: the client's id for it and its instrument (for cancel and replace routing).</summary>
internal readonly record struct OrderRef(ulong ClientOrderId, int Instrument);
