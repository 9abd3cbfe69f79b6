namespace Hft.Core.Tests.Support;

/// <summary>Readable one-line form of a command, for failure messages.</summary>
public static class CommandText
{
    public static string Describe(in OrderCommand c) => c.Op switch
    {
        CommandOp.New => $"new id={c.OrderId} acct={c.Account} ins={c.Instrument} {c.Side} {c.Type} {c.Tif} stp={c.Stp} post={c.PostOnly} px={c.Price}{(c.HasPrice ? "" : "(none)")} qty={c.Quantity} trigger={c.TriggerPrice} display={c.DisplayQuantity} expire={c.ExpireTime} edge={c.EdgeReject}",
        CommandOp.Cancel => $"cancel id={c.OrderId} acct={c.Account} ins={c.Instrument} edge={c.EdgeReject}",
        CommandOp.Replace => $"replace id={c.OrderId} acct={c.Account} ins={c.Instrument} px={(c.HasPrice ? c.Price.ToString() : "keep")} qty={c.Quantity} trigger={c.TriggerPrice} edge={c.EdgeReject}",
        CommandOp.MassCancel => $"mass-cancel acct={c.Account} ins={c.Instrument} reason={c.CancelReason}",
        CommandOp.Expire => $"expire now={c.ExpireTime} edge={c.EdgeReject}",
        _ => $"op={(int)c.Op} id={c.OrderId}",
    };

    public static string Describe(IEnumerable<OrderCommand>? commands)
        => commands is null ? "(no commands)" : string.Join("\n", commands.Select((c, i) => $"#{i}: {Describe(c)}"));
}
