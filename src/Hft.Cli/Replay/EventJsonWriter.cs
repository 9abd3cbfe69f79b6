using System.Buffers;
using System.Text.Json;
using Hft.Core.Book;
using Hft.Core.Events;
using Hft.Core.Instruments;
using Hft.Core.Matching;
using Hft.Core.Numerics;
using Hft.Core.Orders;
using Hft.Risk;

namespace Hft.Cli.Replay;

/// <summary>
/// Writes engine events as JSON lines (the replay output format), prices and quantities as plain decimal
/// strings. One reused <see cref="Utf8JsonWriter"/> over a buffer that is flushed to the output stream.
/// </summary>
public sealed class EventJsonWriter : IDisposable
{
    private const int FlushThreshold = 60 * 1024;
    private readonly Stream _output;
    private readonly ArrayBufferWriter<byte> _buffer = new(128 * 1024);
    private readonly Utf8JsonWriter _json;
    private readonly InstrumentRegistry _instruments;
    private readonly byte[] _number = new byte[64];

    public EventJsonWriter(Stream output, InstrumentRegistry instruments)
    {
        _output = output;
        _instruments = instruments;
        _json = new Utf8JsonWriter(_buffer, new JsonWriterOptions { SkipValidation = true, Indented = false });
    }

    public void Write(in EngineEvent e)
    {
        _json.Reset(_buffer);
        _json.WriteStartObject();
        switch (e.Kind)
        {
            case EventKind.Accepted:
                _json.WriteString("ev"u8, "accepted"u8);
                _json.WriteNumber("id"u8, e.OrderId);
                break;
            case EventKind.Rejected:
                _json.WriteString("ev"u8, "rejected"u8);
                _json.WriteNumber("id"u8, e.OrderId);
                _json.WriteString("reason"u8, e.RejectReason.Name());
                _json.WriteString("op"u8, e.Op switch { CommandOp.New => "new"u8, CommandOp.Cancel => "cancel"u8, _ => "replace"u8 });
                break;
            case EventKind.Trade:
            {
                var inst = _instruments[e.Instrument];
                _json.WriteString("ev"u8, "trade"u8);
                _json.WriteString("symbol"u8, inst.Symbol);
                WritePrice("price"u8, inst, e.Price);
                WriteQuantity("qty"u8, inst, e.Quantity);
                _json.WriteNumber("maker"u8, e.MakerOrderId);
                _json.WriteNumber("taker"u8, e.OrderId);
                _json.WriteString("takerSide"u8, e.Side == Side.Buy ? "buy"u8 : "sell"u8);
                break;
            }
            case EventKind.Canceled:
                _json.WriteString("ev"u8, "canceled"u8);
                _json.WriteNumber("id"u8, e.OrderId);
                WriteQuantity("remaining"u8, _instruments[e.Instrument], e.Remaining);
                _json.WriteString("reason"u8, e.CancelReason.Name());
                break;
            case EventKind.Replaced:
                WriteOrderUpdate("replaced"u8, in e);
                break;
            case EventKind.Triggered:
                WriteOrderUpdate("triggered"u8, in e);
                break;
            case EventKind.Refreshed:
                WriteOrderUpdate("refreshed"u8, in e);
                WriteQuantity("remaining"u8, _instruments[e.Instrument], e.Remaining);
                break;
        }
        _json.WriteEndObject();
        EndLine();
    }

    /// <summary>An event about one order's price and quantity: <c>ev</c>, <c>id</c>, <c>price</c>, <c>qty</c>.</summary>
    private void WriteOrderUpdate(ReadOnlySpan<byte> ev, in EngineEvent e)
    {
        var inst = _instruments[e.Instrument];
        _json.WriteString("ev"u8, ev);
        _json.WriteNumber("id"u8, e.OrderId);
        WritePrice("price"u8, inst, e.Price);
        WriteQuantity("qty"u8, inst, e.Quantity);
    }

    /// <summary>Writes the final state of a book: every level, best first, as [price, total qty, order count].</summary>
    public void WriteBook(OrderBook book)
    {
        var inst = book.Instrument;
        _json.Reset(_buffer);
        _json.WriteStartObject();
        _json.WriteString("ev"u8, "book"u8);
        _json.WriteString("symbol"u8, inst.Symbol);
        WriteSide("bids"u8, book, Side.Buy);
        WriteSide("asks"u8, book, Side.Sell);
        _json.WriteEndObject();
        EndLine();
    }

    /// <summary>One account's position in one instrument (average-cost method), money as plain decimals.</summary>
    public void WritePosition(string account, RiskInstrument inst, in PositionState pos)
    {
        var instrument = inst.Instrument;
        _json.Reset(_buffer);
        _json.WriteStartObject();
        _json.WriteString("ev"u8, "position"u8);
        _json.WriteString("account"u8, account);
        _json.WriteString("symbol"u8, instrument.Symbol);
        WriteQuantity("qty"u8, instrument, pos.Position);
        _json.WriteString("avgPrice"u8, pos.Position == 0 ? "0"
            : Amount.FormatRatio(pos.Cost.Raw, (Int128)pos.Position * inst.LotUnit, AveragePriceDecimals));
        _json.WriteString("realizedPnl"u8, pos.Realized.ToString());
        _json.WriteString("unrealizedPnl"u8, pos.Unrealized(inst.ValuationPrice, inst.NotionalUnit).ToString());
        _json.WriteString("fees"u8, pos.Fees.ToString());
        _json.WriteEndObject();
        EndLine();
    }

    /// <summary>One declared account: exposure, utilization of its credit, open orders.</summary>
    public void WriteAccount(string account, AccountRisk risk, RiskStage stage)
    {
        _json.Reset(_buffer);
        _json.WriteStartObject();
        _json.WriteString("ev"u8, "account"u8);
        _json.WriteString("account"u8, account);
        _json.WriteString("exposure"u8, stage.Exposure(risk).ToString());
        _json.WriteString("utilization"u8, stage.Utilization(risk));
        if (risk.Limits.Credit is { } credit) _json.WriteString("credit"u8, credit.ToString());
        else _json.WriteNull("credit"u8);
        _json.WriteNumber("openOrders"u8, risk.OpenOrders);
        _json.WriteBoolean("enabled"u8, risk.Enabled);
        _json.WriteEndObject();
        EndLine();
    }

    public void WriteStateHash(string hash)
    {
        _json.Reset(_buffer);
        _json.WriteStartObject();
        _json.WriteString("ev"u8, "state_hash"u8);
        _json.WriteString("hash"u8, hash);
        _json.WriteEndObject();
        EndLine();
    }

    /// <summary>Average prices are rounded half-even to this many decimals (they need not lie on the tick grid).</summary>
    public const int AveragePriceDecimals = 10;

    private void WriteSide(ReadOnlySpan<byte> name, OrderBook book, Side side)
    {
        var inst = book.Instrument;
        _json.WriteStartArray(name);
        Span<LevelView> levels = stackalloc LevelView[256];
        int offset = 0;
        while (true)
        {
            int n = book.CopyLevels(side, offset, levels);
            for (int i = 0; i < n; i++)
            {
                _json.WriteStartArray();
                _json.WriteStringValue(_number.AsSpan(0, inst.FormatPrice(levels[i].Price, _number)));
                _json.WriteStringValue(_number.AsSpan(0, inst.FormatQuantity(levels[i].Quantity, _number)));
                _json.WriteNumberValue(levels[i].OrderCount);
                _json.WriteEndArray();
                if (_buffer.WrittenCount >= FlushThreshold) { _json.Flush(); FlushBuffer(); }
            }
            if (n < levels.Length) break;
            offset += n;
        }
        _json.WriteEndArray();
    }

    private void WritePrice(ReadOnlySpan<byte> name, Instrument inst, long ticks)
        => _json.WriteString(name, _number.AsSpan(0, inst.FormatPrice(ticks, _number)));

    private void WriteQuantity(ReadOnlySpan<byte> name, Instrument inst, long lots)
        => _json.WriteString(name, _number.AsSpan(0, inst.FormatQuantity(lots, _number)));

    private void EndLine()
    {
        _json.Flush();
        _buffer.GetSpan(1)[0] = (byte)'\n';
        _buffer.Advance(1);
        if (_buffer.WrittenCount >= FlushThreshold) FlushBuffer();
    }

    private void FlushBuffer()
    {
        _output.Write(_buffer.WrittenSpan);
        _buffer.ResetWrittenCount();
    }

    public void Flush()
    {
        _json.Flush();
        FlushBuffer();
        _output.Flush();
    }

    public void Dispose()
    {
        Flush();
        _json.Dispose();
    }
}
