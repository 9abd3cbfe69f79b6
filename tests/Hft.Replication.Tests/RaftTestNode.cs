using System.Buffers.Binary;
using System.Net;
using DotNext.Buffers;
using DotNext.IO;
using DotNext.Net;
using DotNext.Net.Cluster.Consensus.Raft;
using DotNext.Net.Cluster.Consensus.Raft.Membership;
using DotNext.Net.Cluster.Consensus.Raft.StateMachine;

namespace Hft.Replication.Tests;

/// <summary>
/// One real DotNext Raft member on 127.0.0.1: TCP transport, persistent write-ahead log in its own directory, and a
/// state machine that records every committed value in log order (what a follower's shard would apply).
/// </summary>
internal sealed class RaftTestNode : IAsyncDisposable
{
    private readonly WriteAheadLog _log;
    private bool _stopped;

    private RaftTestNode(IPEndPoint endPoint, RaftCluster cluster, WriteAheadLog log, RecordingStateMachine machine)
    {
        EndPoint = endPoint;
        Cluster = cluster;
        _log = log;
        Machine = machine;
    }

    public IPEndPoint EndPoint { get; }

    public RaftCluster Cluster { get; }

    public RecordingStateMachine Machine { get; }

    /// <summary>This member currently holds leadership (its leadership token is live).</summary>
    public bool IsLeader => !_stopped && !Cluster.LeadershipToken.IsCancellationRequested;

    public bool IsStopped => _stopped;

    public static async Task<RaftTestNode> StartAsync(IPEndPoint self, IReadOnlyList<IPEndPoint> members, string dir)
    {
        var machine = new RecordingStateMachine(new DirectoryInfo(Path.Combine(dir, "state")));
        await machine.RestoreAsync(CancellationToken.None); // must precede the log (it reads the restored snapshot)
        var log = new WriteAheadLog(new WriteAheadLog.Options { Location = Path.Combine(dir, "wal") }, machine);
        // Election timeouts well above heartbeat jitter on two busy shared cores: a spurious election would only make
        // the test slower, but keep it quiet.
        var storage = new EndPointConfigurationStorage();
        var builder = storage.CreateInitialConfigurationBuilder();
        foreach (var member in members) builder.Add(member);
        builder.Build();
        var config = new RaftCluster.TcpConfiguration(self)
        {
            ConfigurationStorage = storage,
            LowerElectionTimeout = 400,
            UpperElectionTimeout = 800,
            RequestTimeout = TimeSpan.FromMilliseconds(350),
            ConnectTimeout = TimeSpan.FromMilliseconds(200),
            ColdStart = false,
        };
        var cluster = new RaftCluster(config) { AuditTrail = log };
        await cluster.StartAsync(CancellationToken.None);
        return new RaftTestNode(self, cluster, log, machine);
    }

    /// <summary>Appends one value on this member (must be the leader); completes once a majority committed it.</summary>
    public async Task ReplicateAsync(long value, CancellationToken token)
    {
        var payload = new byte[sizeof(long)];
        BinaryPrimitives.WriteInt64LittleEndian(payload, value);
        var entry = new BinaryLogEntry { Content = payload, Term = Cluster.AuditTrail.Term };
        await Cluster.ReplicateAsync(entry, token);
    }

    /// <summary>Stops this member as a crash would look to the others: it simply stops answering.</summary>
    public async Task StopAsync()
    {
        if (_stopped) return;
        _stopped = true;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await Cluster.StopAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Cluster.Dispose();
        await _log.DisposeAsync();
        await Machine.DisposeAsync();
    }
}

/// <summary>
/// Keeps every committed 8-byte value in the order Raft applied it; never asks for a snapshot. Applying is idempotent
/// by value (each value is the request's unique id): a client that retries after a NotLeaderException may have had its
/// first attempt committed after all, so the log can hold it twice - the standard Raft answer (client request ids,
/// deduplicated at apply) that the trading pipeline will need for commands too.
/// </summary>
internal sealed class RecordingStateMachine(DirectoryInfo location) : SimpleStateMachine(location)
{
    private readonly object _gate = new();
    private readonly List<long> _applied = new();
    private readonly HashSet<long> _seen = new();
    private int _duplicates;

    /// <summary>Committed entries skipped because their value was applied already (a retried request).</summary>
    public int Duplicates
    {
        get
        {
            lock (_gate) return _duplicates;
        }
    }

    public long[] Applied
    {
        get
        {
            lock (_gate) return _applied.ToArray();
        }
    }

    protected override async ValueTask<bool> ApplyAsync(LogEntry entry, CancellationToken token)
    {
        // A new leader's no-op entry and membership entries carry no value.
        if (entry.IsConfiguration || entry.IsSnapshot || entry.Length is not sizeof(long)) return false;
        byte[] payload = await entry.ToByteArrayAsync(token: token);
        long value = BinaryPrimitives.ReadInt64LittleEndian(payload);
        lock (_gate)
        {
            if (_seen.Add(value)) _applied.Add(value);
            else _duplicates++;
        }
        return false;
    }

    protected override ValueTask PersistAsync(IAsyncBinaryWriter writer, CancellationToken token) => ValueTask.CompletedTask;

    protected override ValueTask RestoreAsync(FileInfo snapshotFile, CancellationToken token) => ValueTask.CompletedTask;
}

/// <summary>The fixed membership of the test cluster, kept in memory (addresses encoded with DotNext's own formatter).</summary>
internal sealed class EndPointConfigurationStorage : InMemoryClusterConfigurationStorage<EndPoint>
{
    protected override void Encode(EndPoint address, ref BufferWriterSlim<byte> output) => output.WriteEndPoint(address);

    protected override EndPoint Decode(ref SequenceReader reader) => reader.ReadEndPoint();
}
