using CsCheck;
using Hft.Core.Tests.Model;

namespace Hft.Core.Tests.Property;

/// <summary>
/// Guards the usefulness of the model-based test: the generated streams must actually reach every
/// outcome (each event kind, each reject and cancel reason, trades after STP cancels, and so on).
/// </summary>
public class GeneratorCoverageTests
{
    [Fact]
    public void Generated_streams_reach_every_reject_reason_cancel_reason_and_event_kind()
    {
        var kinds = new Dictionary<EventKind, int>();
        var rejects = new Dictionary<RejectReason, int>();
        var cancels = new Dictionary<CancelReason, int>();
        int replacesInPlace = 0, replacesReentering = 0, multiTradeCommands = 0, cascades = 0, commands = 0;
        CommandStreamGen.Streams.Sample(stream =>
        {
            var model = new SimpleBookModel([0, 1, 2]);
            foreach (var cmd in stream)
            {
                var events = model.Process(cmd);
                lock (kinds)
                {
                    commands++;
                    foreach (var e in events)
                    {
                        kinds[e.Kind] = kinds.GetValueOrDefault(e.Kind) + 1;
                        if (e.Kind == EventKind.Rejected) rejects[e.RejectReason] = rejects.GetValueOrDefault(e.RejectReason) + 1;
                        if (e.Kind == EventKind.Canceled) cancels[e.CancelReason] = cancels.GetValueOrDefault(e.CancelReason) + 1;
                    }
                    if (events.Count(e => e.Kind == EventKind.Trade) >= 2) multiTradeCommands++;
                    if (events.Count(e => e.Kind == EventKind.Triggered) >= 2) cascades++;
                    if (events.Count > 0 && events[0].Kind == EventKind.Replaced)
                    {
                        if (events.Count == 1) replacesInPlace++;
                        else replacesReentering++;
                    }
                }
            }
        }, iter: 200, threads: 1);

        foreach (var kind in Enum.GetValues<EventKind>())
            Assert.True(kinds.GetValueOrDefault(kind) > 0, $"no {kind} event generated");
        // Reasons between InvalidOrderType and InvalidTriggerPrice belong to the risk and admission stages and are tested there.
        foreach (var reason in Enum.GetValues<RejectReason>().Where(r => r != RejectReason.None
                     && (r <= RejectReason.InvalidOrderType || r >= RejectReason.InvalidTriggerPrice)))
            Assert.True(rejects.GetValueOrDefault(reason) > 0, $"no {reason.Name()} reject generated");
        foreach (var reason in Enum.GetValues<CancelReason>().Where(r => r != CancelReason.None))
            Assert.True(cancels.GetValueOrDefault(reason) >= 20, $"only {cancels.GetValueOrDefault(reason)} {reason.Name()} cancels generated");
        // A stream of every order type: stops wait, many GTD / iceberg / trigger fields are deliberately invalid.
        Assert.True(kinds[EventKind.Trade] > commands / 12, $"only {kinds[EventKind.Trade]} trades in {commands} commands");
        Assert.True(cascades > 20, $"only {cascades} commands fired several stops");
        Assert.True(multiTradeCommands > 100, $"only {multiTradeCommands} commands with several trades");
        Assert.True(replacesInPlace > 20 && replacesReentering > 20, $"replaces in place {replacesInPlace}, re-entering {replacesReentering}");
    }
}
