namespace Hft.Cli.Bench;

/// <summary>
/// A session's two views of its orders, client order id &lt;-&gt; exchange order id, as flat arrays: both ids are dense
/// (the generator numbers its orders from 1, the pipeline hands out exchange ids from its counter), so a look-up is one
/// array load. The binary session keeps the same two maps as dictionaries under its lock.
/// </summary>
internal sealed class SessionOrderIds
{
    private readonly long[] _exchangeIdOfClient;
    private readonly ulong[] _clientIdOfExchange;
    private readonly long _firstExchangeId;

    /// <param name="firstExchangeId">The first exchange id the pipeline will hand out.</param>
    public SessionOrderIds(long maxClientOrderId, int newOrders, long firstExchangeId)
    {
        _exchangeIdOfClient = new long[maxClientOrderId + 1];
        _clientIdOfExchange = new ulong[newOrders];
        _firstExchangeId = firstExchangeId;
    }

    public void Add(ulong clientOrderId, long exchangeId)
    {
        _exchangeIdOfClient[clientOrderId] = exchangeId;
        _clientIdOfExchange[exchangeId - _firstExchangeId] = clientOrderId;
    }

    /// <summary>The exchange id of a client order id (0 when unknown).</summary>
    public long ExchangeIdOf(ulong clientOrderId) => clientOrderId < (ulong)_exchangeIdOfClient.Length ? _exchangeIdOfClient[clientOrderId] : 0;

    /// <summary>The client order id of an exchange id (0 when not this session's).</summary>
    public ulong ClientIdOf(long exchangeId)
    {
        ulong index = (ulong)(exchangeId - _firstExchangeId);
        return index < (ulong)_clientIdOfExchange.Length ? _clientIdOfExchange[index] : 0;
    }
}
