using Hft.MarketData;
using Hft.Server.Operations;
using Prometheus;

namespace Hft.Server.MarketData.Binary;

/// <summary>
/// The binary feed at scrape time: packets, messages and bytes sent, send errors, the last sequence, and its recovery
/// service (clients now, retransmission and snapshot requests, messages retransmitted to fill gaps, refusals by reason).
/// </summary>
public sealed class BinaryFeedMetrics : IDisposable
{
    private readonly ScrapeHook _scrape;
    private readonly BinaryFeed _feed;
    private readonly Counter _packets, _messages, _bytes, _sendErrors, _retransmitRequests, _snapshotRequests, _gapMessages;
    private readonly Gauge _sequence, _clients;
    private readonly Counter _refusals;

    public BinaryFeedMetrics(BinaryFeed feed, CollectorRegistry registry)
    {
        _feed = feed;
        var f = Metrics.WithCustomRegistry(registry);
        _packets = f.CreateCounter("hft_mdfeed_packets_total", "UDP packets the binary market-data feed sent (data and heartbeats; each once, whatever the number of destinations).");
        _messages = f.CreateCounter("hft_mdfeed_messages_total", "Sequenced messages the binary market-data feed published.");
        _bytes = f.CreateCounter("hft_mdfeed_bytes_total", "UDP payload bytes sent, summed over destinations.");
        _sendErrors = f.CreateCounter("hft_mdfeed_send_errors_total", "Datagrams the system refused to send (a destination missed a packet).");
        _sequence = f.CreateGauge("hft_mdfeed_sequence", "The last sequence number the binary feed gave out.");
        _clients = f.CreateGauge("hft_mdfeed_recovery_clients", "Connections the feed's TCP recovery service is serving.");
        _retransmitRequests = f.CreateCounter("hft_mdfeed_retransmit_requests_total", "Retransmission requests answered by the recovery service.");
        _snapshotRequests = f.CreateCounter("hft_mdfeed_snapshot_requests_total", "Book snapshots served by the recovery service.");
        _gapMessages = f.CreateCounter("hft_mdfeed_retransmitted_messages_total", "Messages sent again to fill receivers' gaps.");
        _refusals = f.CreateCounter("hft_mdfeed_recovery_refusals_total", "Recovery requests or connections refused, by reason.", "reason");
        _scrape = ScrapeHook.Register(registry, Collect);
    }

    private void Collect()
    {
        var recovery = _feed.Recovery;
        _packets.IncTo(_feed.Packets);
        _messages.IncTo(_feed.Messages);
        _bytes.IncTo(_feed.Bytes);
        _sendErrors.IncTo(_feed.SendErrors);
        _sequence.Set(_feed.Sequence);
        _clients.Set(recovery.Clients);
        _retransmitRequests.IncTo(recovery.RetransmitRequests);
        _snapshotRequests.IncTo(recovery.SnapshotRequests);
        _gapMessages.IncTo(recovery.RetransmittedMessages);
        foreach (var error in Enum.GetValues<RecoveryError>()) _refusals.WithLabels(Reason(error)).IncTo(recovery.Refusals(error));
    }

    /// <summary>The label of a refusal (the protocol's error name in snake case).</summary>
    public static string Reason(RecoveryError error) => error switch
    {
        RecoveryError.NotAvailable => "not_available",
        RecoveryError.RangeTooLarge => "range_too_large",
        RecoveryError.Malformed => "malformed",
        RecoveryError.BeyondEnd => "beyond_end",
        RecoveryError.TooManyClients => "too_many_clients",
        RecoveryError.IdleTimeout => "idle_timeout",
        _ => "oversized",
    };

    public void Dispose() => _scrape.Dispose();
}
