using System.Net;
using DotNext.Buffers;
using DotNext.IO;
using DotNext.Net;
using DotNext.Net.Cluster.Consensus.Raft.Membership;

namespace Hft.Replication;

/// <summary>The fixed membership of a group, from <c>[replication] peers</c>, kept in memory (addresses in DotNext's own encoding).</summary>
internal sealed class EndPointConfigurationStorage : InMemoryClusterConfigurationStorage<EndPoint>
{
    protected override void Encode(EndPoint address, ref BufferWriterSlim<byte> output) => output.WriteEndPoint(address);

    protected override EndPoint Decode(ref SequenceReader reader) => reader.ReadEndPoint();
}
