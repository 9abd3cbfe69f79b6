using Hft.Core.Matching;
using Hft.Core.Orders;

namespace Hft.Cli.Bench;

/// <summary>The kinds of command in the mix, for the per-kind latency breakdown.</summary>
internal enum CommandKind
{
    Limit = 0,
    Cancel = 1,
    Replace = 2,
    IocOrMarket = 3,
    FokOrPostOnly = 4,
}

internal static class CommandKinds
{
    public const int Count = 5;

    public static readonly string[] Names = ["limit", "cancel", "replace", "ioc_market", "fok_post_only"];

    public static CommandKind Of(in OrderCommand cmd) => cmd.Op switch
    {
        CommandOp.Cancel => CommandKind.Cancel,
        CommandOp.Replace => CommandKind.Replace,
        _ when cmd.Type == OrderType.Market || cmd.Tif == TimeInForce.Ioc => CommandKind.IocOrMarket,
        _ when cmd.Tif == TimeInForce.Fok || cmd.PostOnly => CommandKind.FokOrPostOnly,
        _ => CommandKind.Limit,
    };
}
