using System.Net;
using System.Net.Sockets;
using Hft.Auth.Guards;
using Hft.Configuration;
using Hft.Server.Operations;
using Hft.Server.Tests.MarketData;
using Hft.Server.Tests.Support;

namespace Hft.Server.Tests.Operations;

/// <summary>
/// What the memory, CPU and feed alerts divide by or require: the container's cgroup v2 limits and working set, the
/// feed's enabled flag, CPU pinning; the /ws traffic counters; and the [gateway] socket buffers on accepted sockets.
/// </summary>
public sealed class ContainerMetricsTests : IDisposable
{
    private readonly DirectoryInfo _cgroup = Directory.CreateTempSubdirectory("hft-cgroup-");

    public void Dispose() => _cgroup.Delete(recursive: true);

    private void Write(string name, string text) => File.WriteAllText(Path.Combine(_cgroup.FullName, name), text);

    [Fact]
    public void A_limited_cgroup_gives_its_memory_limit_working_set_and_cpu_cores()
    {
        Write("memory.max", "8589934592\n");
        Write("memory.current", "1073741824\n");
        Write("memory.stat", "anon 700000000\nfile 300000000\ninactive_file 73741824\nactive_file 226258176\n");
        Write("cpu.max", "200000 100000\n");
        var r = CgroupResources.Read(_cgroup.FullName, selfCgroup: "0::/\n");
        Assert.Equal(8589934592d, r.MemoryLimitBytes);
        Assert.Equal(1_000_000_000d, r.WorkingSetBytes); // current - inactive_file, as the kubelet counts it
        Assert.Equal(2d, r.CpuLimitCores);
    }

    [Fact]
    public void An_unlimited_or_absent_cgroup_gives_no_limit()
    {
        Write("memory.max", "max\n");
        Write("cpu.max", "max 100000\n");
        var r = CgroupResources.Read(_cgroup.FullName, selfCgroup: "0::/\n");
        Assert.Null(r.MemoryLimitBytes);
        Assert.Null(r.CpuLimitCores);
        Assert.Null(r.WorkingSetBytes);
        Assert.Equal(new CgroupResources(null, null, null), CgroupResources.Read(Path.Combine(_cgroup.FullName, "none"), ""));
    }

    [Fact]
    public void The_process_own_cgroup_directory_is_read_when_the_root_is_not_its_own()
    {
        var own = Directory.CreateDirectory(Path.Combine(_cgroup.FullName, "kubepods", "pod1"));
        File.WriteAllText(Path.Combine(own.FullName, "memory.max"), "4294967296");
        File.WriteAllText(Path.Combine(own.FullName, "cpu.max"), "150000 100000");
        var r = CgroupResources.Read(_cgroup.FullName, selfCgroup: "0::/kubepods/pod1\n");
        Assert.Equal(4294967296d, r.MemoryLimitBytes);
        Assert.Equal(1.5, r.CpuLimitCores);
    }

    [Theory]
    [InlineData("garbage", null)]
    [InlineData("100000", null)]
    [InlineData("50000 100000", 0.5)]
    public void Cpu_max_parses(string text, double? cores) => Assert.Equal(cores, CgroupResources.ParseCpuMax(text));

    [Fact]
    public async Task A_node_exports_container_limits_feed_flag_pinning_and_ws_traffic()
    {
        await using var s = await MetricsServerFixture.StartAsync();
        await using (var ws = await WsClient.ConnectAsync(new Uri(s.Server.Urls[0])))
        {
            await ws.SendAsync(new { op = "ping" });
            await ws.NextAsync(m => WsClient.Str(m, "op") == "pong");
        }
        var m = await s.ScrapeUntilAsync(m => m.Find("hft_gateway_messages_total", ("protocol", "ws"), ("direction", "out")).Any(x => x.Value >= 1));

        Assert.True(m.Value("hft_container_cpu_limit_cores") >= 1);
        Assert.True(m.Value("hft_container_memory_working_set_bytes") > 0);
        if (OperatingSystem.IsLinux()) Assert.True(m.Value("hft_container_memory_limit_bytes") > m.Value("hft_container_memory_working_set_bytes"));
        Assert.Equal(0, m.Value("hft_feed_enabled")); // the fixture turns the feed off: the stale alert stays quiet
        Assert.Equal(0, m.Value("hft_cpu_pinned_threads"));
        Assert.Equal(0, m.Value("hft_cpu_pinning_failures_total"));
        Assert.True(m.Value("hft_gateway_messages_total", ("protocol", "ws"), ("direction", "in")) >= 1);
        Assert.True(m.Value("hft_gateway_bytes_total", ("protocol", "ws"), ("direction", "in")) >= """{"op":"ping"}""".Length);
        Assert.True(m.Value("hft_gateway_bytes_total", ("protocol", "ws"), ("direction", "out")) > 0);
        Assert.True(m.Value("hft_gateway_messages_total", ("protocol", "http"), ("direction", "in")) >= 1); // the /ws upgrade
        var again = await s.ScrapeAsync(); // scrapes are operations traffic, not counted
        Assert.Equal(m.Value("hft_gateway_messages_total", ("protocol", "http"), ("direction", "in")),
            again.Value("hft_gateway_messages_total", ("protocol", "http"), ("direction", "in")));
    }

    [Fact]
    public async Task Socket_buffers_set_on_a_listener_are_those_of_the_connections_it_accepts()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var config = new GatewayConfig { SocketReceiveBufferBytes = 8192, SocketSendBufferBytes = 65536 };
        SocketBuffers.Apply(listener, config);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(listener.LocalEndPoint!);
        using var accepted = await listener.AcceptAsync();

        // Linux reports twice the requested size (its bookkeeping overhead), other systems the size itself; the kernel
        // defaults (net.ipv4.tcp_rmem 131072, tcp_wmem 16384) are outside both ranges.
        Assert.InRange(accepted.ReceiveBufferSize, 8192, 2 * 8192);
        Assert.InRange(accepted.SendBufferSize, 65536, 2 * 65536);
    }
}
