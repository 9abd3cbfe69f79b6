using System.Buffers.Text;
using System.Text;

namespace Hft.Tools.Loadgen;

/// <summary>
/// The ClOrdIDs of one loadgen FIX connection: <c>N{order}.{run}</c> names load order <c>order</c>, its cancels and
/// replaces are <c>X{order}.{run}.{k}</c> / <c>R{order}.{run}.{k}</c>. The run token keeps them unique across loadgen
/// runs on the same session (the acceptor refuses a reused ClOrdID) and tells this run's reports from those of orders
/// an earlier run left resting (their fills arrive too, with the same order numbers).
/// </summary>
internal sealed class FixLoadClOrdIds(string run)
{
    /// <summary>Enough bytes for any ClOrdID of this scheme.</summary>
    public const int MaxLength = 64;

    private readonly byte[] _run = Encoding.ASCII.GetBytes(run);

    /// <summary>Writes <paramref name="prefix"/>, the order number, the run token and, when <paramref name="k"/> is above 0, <c>.k</c>.</summary>
    public int Format(byte prefix, ulong order, long k, Span<byte> dest)
    {
        dest[0] = prefix;
        Utf8Formatter.TryFormat(order, dest[1..], out int n);
        n++;
        dest[n++] = (byte)'.';
        _run.CopyTo(dest[n..]);
        n += _run.Length;
        if (k <= 0) return n;
        dest[n++] = (byte)'.';
        Utf8Formatter.TryFormat(k, dest[n..], out int w);
        return n + w;
    }

    /// <summary>The prefix, order number and <c>k</c> (0 when absent) of one of this run's ClOrdIDs; false for any other.</summary>
    public bool TryParse(ReadOnlySpan<byte> clOrdId, out byte prefix, out ulong order, out long k)
    {
        prefix = 0;
        order = 0;
        k = 0;
        if (clOrdId.Length < 3) return false;
        int dot = clOrdId.IndexOf((byte)'.');
        if (dot < 2 || !Utf8Parser.TryParse(clOrdId[1..dot], out order, out int used) || used != dot - 1) return false;
        var rest = clOrdId[(dot + 1)..];
        if (!rest.StartsWith(_run)) return false;
        rest = rest[_run.Length..];
        if (!rest.IsEmpty && (rest[0] != (byte)'.' || !Utf8Parser.TryParse(rest[1..], out k, out used) || used != rest.Length - 1)) return false;
        prefix = clOrdId[0];
        return true;
    }
}
