using Hft.Core.Book;

namespace Hft.Core.Matching;

/// <summary>Per-account lists of live orders (resting and pending), in the order they entered: mass cancel in O(own orders).</summary>
public sealed partial class MatchingEngine
{
    /// <summary>For <see cref="BookInvariants"/>: every live order is on its account's list exactly once, links consistent.</summary>
    internal string? CheckAccountLists()
    {
        int total = 0;
        for (int account = 0; account < _accountHead.Length; account++)
        {
            int prev = -1;
            for (int slot = _accountHead[account]; slot >= 0; slot = _orders[slot].AccountNext)
            {
                ref var o = ref _orders[slot];
                if (o.Account != account) return $"order {o.Id} of account {o.Account} is on the list of account {account}";
                if (o.AccountPrev != prev) return $"order {o.Id} has a broken account back link";
                if (o.Level < 0 && (o.Flags & OrderFlags.Pending) == 0) return $"order slot {slot} on the list of account {account} is neither in a book nor pending";
                if (++total > _orders.Live) return $"the account lists of account {account} loop or hold dead orders";
                prev = slot;
            }
            if (_accountTail[account] != prev) return $"tail of the order list of account {account} is wrong";
        }
        return total == _orders.Live ? null : $"{_orders.Live} live orders, {total} on account lists";
    }

    private void LinkToAccount(int slot, int account)
    {
        if ((uint)account >= (uint)_accountHead.Length) GrowAccounts(account);
        ref var o = ref _orders[slot];
        o.AccountNext = -1;
        o.AccountPrev = _accountTail[account];
        if (o.AccountPrev >= 0) _orders[o.AccountPrev].AccountNext = slot;
        else _accountHead[account] = slot;
        _accountTail[account] = slot;
    }

    private void UnlinkFromAccount(int slot)
    {
        ref var o = ref _orders[slot];
        if (o.AccountPrev >= 0) _orders[o.AccountPrev].AccountNext = o.AccountNext;
        else _accountHead[o.Account] = o.AccountNext;
        if (o.AccountNext >= 0) _orders[o.AccountNext].AccountPrev = o.AccountPrev;
        else _accountTail[o.Account] = o.AccountPrev;
    }

    /// <summary>Accounts are dense small integers; the per-account list heads grow (rarely) when a new one appears.</summary>
    private void GrowAccounts(int account)
    {
        int size = _accountHead.Length;
        while (size <= account) size *= 2;
        int old = _accountHead.Length;
        Array.Resize(ref _accountHead, size);
        Array.Resize(ref _accountTail, size);
        Array.Fill(_accountHead, -1, old, size - old);
        Array.Fill(_accountTail, -1, old, size - old);
    }
}
