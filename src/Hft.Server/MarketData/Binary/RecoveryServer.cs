using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Hft.MarketData;
using Microsoft.Extensions.Hosting;

namespace Hft.Server.MarketData.Binary;

/// <summary>
/// The feed's TCP recovery service: retransmission of a sequence range from the ring of recent messages, and a snapshot
/// of every book and status stamped with the sequence it reflects. Bounded: at most
/// <see cref="BinaryFeedOptions.MaxRecoveryClients"/> connections (the next one gets TooManyClients and is closed), at
/// most <see cref="BinaryFeedOptions.MaxRetransmitMessages"/> per request, fixed-size requests (anything longer is
/// Oversized, anything unknown Malformed: both close the connection), and an idle timeout for requests and for reading
/// answers. No login: it serves exactly what the UDP feed already sent to the same network (docs/protocol/marketdata.md,
/// "Access").
/// </summary>
public sealed class RecoveryServer : IHostedService, IAsyncDisposable
{
    private readonly BinaryFeedOptions _options;
    private readonly FeedSequencer _sequencer;
    private readonly Func<long> _clock;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<RecoveryConnection, Task> _connections = new();
    private readonly long[] _refusals = new long[(int)RecoveryError.Oversized + 1];
    private TcpListener? _listener;
    private Task? _accept;
    private int _clients;
    private long _retransmitRequests, _snapshotRequests, _retransmittedMessages, _accepted;

    internal RecoveryServer(BinaryFeedOptions options, FeedSequencer sequencer, Func<long> clock)
    {
        _options = options;
        _sequencer = sequencer;
        _clock = clock;
    }

    /// <summary>The port it listens on (the configured one, or the free port it got for 0); 0 before start.</summary>
    public int Port { get; private set; }

    /// <summary>Connections being served now.</summary>
    public int Clients => Volatile.Read(ref _clients);

    public long Accepted => Interlocked.Read(ref _accepted);

    public long RetransmitRequests => Interlocked.Read(ref _retransmitRequests);

    public long SnapshotRequests => Interlocked.Read(ref _snapshotRequests);

    /// <summary>Messages sent again to fill receivers' gaps.</summary>
    public long RetransmittedMessages => Interlocked.Read(ref _retransmittedMessages);

    /// <summary>Requests and connections refused with <paramref name="error"/>.</summary>
    public long Refusals(RecoveryError error) => Interlocked.Read(ref _refusals[(int)error]);

    internal BinaryFeedOptions Options => _options;

    internal FeedSequencer Sequencer => _sequencer;

    internal long Now() => _clock();

    internal void CountRetransmit(int messages)
    {
        Interlocked.Increment(ref _retransmitRequests);
        Interlocked.Add(ref _retransmittedMessages, messages);
    }

    internal void CountSnapshot() => Interlocked.Increment(ref _snapshotRequests);

    internal void CountRefusal(RecoveryError error) => Interlocked.Increment(ref _refusals[(int)error]);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _listener = new TcpListener(IPAddress.Parse(_options.RecoveryBind), _options.RecoveryPort);
        _listener.Start(64);
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accept = AcceptLoop();
        return Task.CompletedTask;
    }

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener!.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException && _stop.IsCancellationRequested)
            {
                return;
            }
            socket.NoDelay = true;
            Interlocked.Increment(ref _accepted);
            var connection = new RecoveryConnection(socket, this);
            if (Interlocked.Increment(ref _clients) > _options.MaxRecoveryClients)
            {
                Interlocked.Decrement(ref _clients);
                CountRefusal(RecoveryError.TooManyClients);
                _ = connection.RefuseAsync(RecoveryError.TooManyClients, _options.MaxRecoveryClients, _stop.Token);
                continue;
            }
            _connections[connection] = Serve(connection);
        }
    }

    private async Task Serve(RecoveryConnection connection)
    {
        try
        {
            await connection.RunAsync(_stop.Token);
        }
        finally
        {
            Interlocked.Decrement(ref _clients);
            _connections.TryRemove(connection, out _);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stop.IsCancellationRequested) return;
        _stop.Cancel();
        _listener?.Stop();
        if (_accept is not null) await _accept;
        foreach (var c in _connections.Keys) c.Abort();
        await Task.WhenAll(_connections.Values).WaitAsync(TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        _stop.Dispose();
    }
}
