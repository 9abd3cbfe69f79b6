using Hft.Core.Book;
using Hft.Core.Orders;

namespace Hft.Core.Matching;

public sealed partial class MatchingEngine
{
    /// <summary>
    /// Snapshot restore only (a fresh engine, before any command): puts back a live order that has terms — an iceberg
    /// (<paramref name="remaining"/> is its displayed slice, <see cref="OrderTerms.Hidden"/> its reserve), a
    /// good-till-date order, or a pending stop (<see cref="OrderFlags.Pending"/>: into its instrument's stops, not the
    /// book). A resting one goes to the tail of its level like <see cref="RestoreRestingOrder"/>; a pending one is
    /// inserted by trigger price with a fresh arrival sequence, so stops restored in firing order keep their priority.
    /// A good-till-date order is queued for expiry again by (expire time, id), the order the expiry queue fires in.
    /// </summary>
    /// <exception cref="InvalidOperationException">The book is unknown, the id is taken, or the order or its terms are not valid.</exception>
    public void RestoreOrderWithTerms(int instrument, long id, int account, Side side, long price, long remaining, bool postOnly,
        SelfTradePrevention stp, OrderFlags flags, in OrderTerms terms)
    {
        bool pending = (flags & OrderFlags.Pending) != 0, iceberg = (flags & OrderFlags.Iceberg) != 0, expires = (flags & OrderFlags.Expires) != 0;
        if (terms.Hidden < 0 || (iceberg ? terms.DisplayQuantity <= 0 : terms.Hidden != 0)
            || (expires && terms.ExpireTime <= 0) || (pending && terms.TriggerPrice <= 0))
            throw new InvalidOperationException($"restore: order {id} has invalid terms");
        if (!pending)
        {
            RestoreRestingOrder(instrument, id, account, side, price, remaining, postOnly, stp);
            int slot = _ids.Find(id);
            _orders[slot].Flags = flags;
            _orders.Terms(slot) = terms;
            _counters.EnteredQuantity += terms.Hidden;
        }
        else
        {
            if (Stops(instrument) is null) throw new InvalidOperationException($"restore: instrument {instrument} has no book in this engine");
            if (_ids.Find(id) != OrderIdIndex.Absent) throw new InvalidOperationException($"restore: order id {id} is already in use");
            if (!IsValidQuantity(remaining) || !IsKnown(side) || !IsKnown(stp) || account < 0 || !terms.Type.IsTriggered())
                throw new InvalidOperationException($"restore: order {id} is not a valid pending stop");
            _ids.Add(id, OrderIdIndex.Dead);
            _counters.EnteredQuantity += remaining;
            AddPending(instrument, id, account, side, price, remaining, postOnly, stp, flags, in terms);
        }
        if (expires) _expiries.Add(terms.ExpireTime, id);
    }
}
