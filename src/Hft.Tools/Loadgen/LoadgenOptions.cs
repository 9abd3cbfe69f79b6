using System.Globalization;

namespace Hft.Tools.Loadgen;

/// <summary>Options of <c>hft loadgen</c>.</summary>
public sealed record LoadgenOptions
{
    public const string Usage = """
        usage: hft loadgen [options]

        Drives a running server over the binary order-entry protocol (or FIX, or REST) from N loopback connections, at a
        target rate or flat out, for a bounded time and/or count, with a realistic order mix (limits around a mid,
        some crossing, IOC, cancels, replaces). Reports achieved orders/s, round-trip latency (p50/p99/p99.9/max,
        HdrHistogram) and the error rate, beside the server's own receipt->durable-ack latency (the run's exact
        histogram from /debug/latency, else the buckets of /metrics).

          --protocol binary|fix|rest  target (default binary)
          --host HOST             binary gateway / FIX acceptor host (default 127.0.0.1)
          --port N                binary gateway port (default 9100)
          --fix-port N            FIX acceptor port (default 9878)
          --tls                   binary / FIX over TLS (the server's [tls] binary / fix = true); the server's certificate
                                  must name --host and chain to --ca-file, else to the system trust store
          --ca-file PATH          PEM authority to trust for --tls (e.g. the server's [tls] ca_file); implies --tls
          --fix-sessions S1:P1,S2:P2  FIX SenderCompID:password per connection, one connection per session (FIX allows
                                  one logon per session); default CLIENT_A1:dev-fix-A1,CLIENT_A2:dev-fix-A2
          --url URL               the server's HTTP base (REST target, /debug/latency and /metrics; default http://127.0.0.1:8080)
          --keys K1,K2            API keys, used round-robin by the connections (default dev-key-A1,dev-key-A2)
          --connections N         connections (default 1)
          --rate R                total orders/s, paced; latency is coordinated-omission corrected (default 0 = flat out)
          --window N              flat out: most requests in flight per connection (default 64)
          --duration S            seconds to run (default 10)
          --count N               stop after N requests (default: unbounded, the duration decides)
          --instrument N          instrument id to trade (default 0)
          --mid TICKS             mid price in ticks the orders are placed around (default 5000000 = 50000.00 BTCUSD)
          --seed N                random seed (default 1)
          --json                  print the report as JSON
        """;

    public string Protocol { get; init; } = "binary";
    public string Host { get; init; } = "127.0.0.1";
    public int Port { get; init; } = 9100;
    public int FixPort { get; init; } = 9878;
    public bool Tls { get; init; }
    public string? CaFile { get; init; }
    public IReadOnlyList<string> FixSessions { get; init; } = ["CLIENT_A1:dev-fix-A1", "CLIENT_A2:dev-fix-A2"];
    public string Url { get; init; } = "http://127.0.0.1:8080";
    public IReadOnlyList<string> Keys { get; init; } = ["dev-key-A1", "dev-key-A2"];
    public int Connections { get; init; } = 1;
    public double Rate { get; init; }
    public int Window { get; init; } = 64;
    public double Duration { get; init; } = 10;
    public long Count { get; init; }
    public int Instrument { get; init; }
    public long Mid { get; init; } = 5_000_000;
    public int Seed { get; init; } = 1;
    public bool Json { get; init; }
    public bool Help { get; init; }

    public static LoadgenOptions? Parse(string[] args, out string error)
    {
        var o = new LoadgenOptions();
        error = "";
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            string? Next() => i + 1 < args.Length ? args[++i] : null;
            switch (a)
            {
                case "-h" or "--help": o = o with { Help = true }; break;
                case "--json": o = o with { Json = true }; break;
                case "--tls": o = o with { Tls = true }; break;
                case "--ca-file":
                    var ca = Next();
                    if (string.IsNullOrEmpty(ca) || !File.Exists(ca)) return Fail($"--ca-file: no such file '{ca}'", out error);
                    o = o with { Tls = true, CaFile = ca };
                    break;
                case "--protocol":
                    var p = Next();
                    if (p is not ("binary" or "fix" or "rest")) return Fail($"--protocol must be binary, fix or rest, got '{p}'", out error);
                    o = o with { Protocol = p };
                    break;
                case "--host": o = o with { Host = Next() ?? "" }; break;
                case "--url": o = o with { Url = (Next() ?? "").TrimEnd('/') }; break;
                case "--keys": o = o with { Keys = (Next() ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries) }; break;
                case "--port":
                    if (!int.TryParse(Next(), out int port) || port is < 1 or > 65535) return Fail("--port must be 1..65535", out error);
                    o = o with { Port = port };
                    break;
                case "--fix-port":
                    if (!int.TryParse(Next(), out int fixPort) || fixPort is < 1 or > 65535) return Fail("--fix-port must be 1..65535", out error);
                    o = o with { FixPort = fixPort };
                    break;
                case "--fix-sessions":
                    var sessions = (Next() ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries);
                    if (sessions.Length == 0 || sessions.Any(x => x.IndexOf(':', StringComparison.Ordinal) <= 0))
                        return Fail("--fix-sessions must be SENDER:password[,SENDER:password...]", out error);
                    o = o with { FixSessions = sessions };
                    break;
                case "--connections":
                    if (!int.TryParse(Next(), out int n) || n is < 1 or > 1024) return Fail("--connections must be 1..1024", out error);
                    o = o with { Connections = n };
                    break;
                case "--rate":
                    if (!double.TryParse(Next(), NumberStyles.Float, CultureInfo.InvariantCulture, out double r) || r < 0) return Fail("--rate must be >= 0", out error);
                    o = o with { Rate = r };
                    break;
                case "--window":
                    if (!int.TryParse(Next(), out int w) || w is < 1 or > 4096) return Fail("--window must be 1..4096", out error);
                    o = o with { Window = w };
                    break;
                case "--duration":
                    if (!double.TryParse(Next(), NumberStyles.Float, CultureInfo.InvariantCulture, out double d) || d is <= 0 or > 86_400)
                        return Fail("--duration must be > 0 seconds", out error);
                    o = o with { Duration = d };
                    break;
                case "--count":
                    if (!long.TryParse(Next(), out long c) || c < 1) return Fail("--count must be >= 1", out error);
                    o = o with { Count = c };
                    break;
                case "--instrument":
                    if (!int.TryParse(Next(), out int inst) || inst < 0) return Fail("--instrument must be >= 0", out error);
                    o = o with { Instrument = inst };
                    break;
                case "--mid":
                    if (!long.TryParse(Next(), out long mid) || mid < 100) return Fail("--mid must be >= 100 ticks", out error);
                    o = o with { Mid = mid };
                    break;
                case "--seed":
                    if (!int.TryParse(Next(), out int seed)) return Fail("--seed must be an integer", out error);
                    o = o with { Seed = seed };
                    break;
                default:
                    return Fail($"unknown option '{a}'", out error);
            }
        }
        if (o.Tls && o.Protocol == "rest") return Fail("--tls applies to binary and fix; for rest give an https:// --url", out error);
        if (o.Keys.Count == 0) return Fail("--keys needs at least one API key", out error);
        if (o.Protocol == "fix" && o.Connections > o.FixSessions.Count)
            return Fail($"--protocol fix: {o.Connections} connections need as many --fix-sessions (FIX allows one logon per session), got {o.FixSessions.Count}", out error);
        return o;
    }

    private static LoadgenOptions? Fail(string message, out string error)
    {
        error = message;
        return null;
    }
}
