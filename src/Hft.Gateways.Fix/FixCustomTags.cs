namespace Hft.Gateways.Fix;

/// <summary>
/// The venue's own user-defined tags (5000 and above: not FIX 4.4 dictionary fields). A counterparty may send one only
/// where <c>[gateway] fix_allowed_custom_tags</c> lists it; otherwise it is refused like any custom tag not agreed.
/// </summary>
public static class FixCustomTags
{
    /// <summary>
    /// A stop's trigger direction on NewOrderSingle (FIX 4.4 has no take-profit OrdType): U fires when the last trade rises
    /// to or through StopPx, D when it falls (the values of FIX 5.0's TriggerPriceDirection, 1109).
    /// </summary>
    public const int TriggerDirection = 5109;
}
