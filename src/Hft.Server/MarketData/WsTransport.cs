using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Hft.Server.MarketData;

/// <summary>
/// The upgraded /ws connection's byte stream, shared by two writers: the connection's send loop, which writes batches
/// of pre-built <see cref="WsFrame"/>s in one call, and the framework's <see cref="System.Net.WebSockets.WebSocket"/>,
/// which keeps reading (unmasking client frames, answering pings) and writes its own control frames (pong, close).
/// Writes are serialized whole: the framework writes each frame in one call and the send loop writes only whole
/// frames, so frames never interleave on the wire.
/// </summary>
public sealed class WsTransport(Stream inner) : Stream
{
    private readonly SemaphoreSlim _write = new(1, 1);

    /// <summary>Writes whole frames (one call, one socket write) after any write in progress.</summary>
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> frames, CancellationToken cancellationToken = default)
    {
        await _write.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await inner.WriteAsync(frames, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _write.Release();
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => inner.ReadAsync(buffer, offset, count, cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override void Flush() => inner.Flush();

    public override bool CanRead => inner.CanRead;
    public override bool CanSeek => false;
    public override bool CanWrite => inner.CanWrite;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }
}

/// <summary>
/// Hands the WebSocket handshake a <see cref="WsTransport"/> instead of the raw upgraded stream, and keeps it in the
/// request's features so that <c>/ws</c> can write pre-framed batches to it. The handshake itself (headers, accept
/// key, sub-protocols) stays the framework's.
/// </summary>
internal sealed class WsTransportUpgrade(IHttpUpgradeFeature inner, IFeatureCollection features) : IHttpUpgradeFeature
{
    public bool IsUpgradableRequest => inner.IsUpgradableRequest;

    public async Task<Stream> UpgradeAsync()
    {
        var transport = new WsTransport(await inner.UpgradeAsync().ConfigureAwait(false));
        features.Set(transport);
        return transport;
    }
}

public static class WsTransportMiddleware
{
    /// <summary>Before <c>UseWebSockets</c>: /ws upgrades get a <see cref="WsTransport"/> (HTTP/1.1 upgrades only; others keep SendAsync).</summary>
    public static IApplicationBuilder UseWsTransport(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        if (http.Request.Path.StartsWithSegments("/ws") && http.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true } upgrade)
            http.Features.Set<IHttpUpgradeFeature>(new WsTransportUpgrade(upgrade, http.Features));
        return next(http);
    });
}
