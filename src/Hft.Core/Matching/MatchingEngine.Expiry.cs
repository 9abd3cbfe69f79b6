using Hft.Core.Events;

namespace Hft.Core.Matching;

public sealed partial class MatchingEngine
{
    /// <summary>
    /// Cancels (reason expired) every live good-till-date order, resting or pending, whose expire time is at or before
    /// the command's time, earliest first, equal times by order id.
    /// </summary>
    private void Expire(in OrderCommand cmd)
    {
        if (cmd.EdgeReject != Events.RejectReason.None) { Reject(in cmd, cmd.EdgeReject); return; }
        while (_expiries.TryTakeDue(cmd.ExpireTime, out long id))
        {
            int slot = _ids.Find(id);
            if (slot < 0) continue;
            EmitCanceled(slot, CancelReason.Expired);
            Remove(_books[_orders[slot].Instrument]!, slot);
        }
    }
}
