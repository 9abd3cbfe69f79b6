using Hft.Pipeline;

namespace Hft.Gateways.Fix;

/// <summary>
/// An OrderMassCancelRequest (see <see cref="MassCancelFanOut"/>): the OrderMassCancelReport is queued behind the
/// cancels' own execution reports.
/// </summary>
internal sealed class FixMassCancel(FixSession session, MassCancelOutcome outcome, int expected) : MassCancelFanOut(expected)
{
    protected override void Finished(int canceled)
    {
        outcome.Canceled = canceled;
        session.EnqueueMassCancelReport(outcome);
    }
}
