using System.Globalization;

namespace Hft.Tools.CrashTest;

/// <summary>Options of <c>hft crashtest</c>; every loop is bounded by <see cref="Iterations"/> and <see cref="Seconds"/>.</summary>
public sealed record CrashTestOptions
{
    /// <summary>Kill -9 / restart cycles (at most).</summary>
    public int Iterations { get; init; } = 50;

    /// <summary>Wall-clock budget: no new cycle starts after it.</summary>
    public int Seconds { get; init; } = 600;

    /// <summary>Journal mode of the server under test: sync or async.</summary>
    public string Mode { get; init; } = "sync";

    public int Seed { get; init; } = Environment.TickCount & int.MaxValue;

    /// <summary>Concurrent HTTP clients per account (A1 buys, A2 sells).</summary>
    public int ClientsPerAccount { get; init; } = 3;

    /// <summary>The kill comes a random time in [min, max) milliseconds after the clients start.</summary>
    public int MinKillMs { get; init; } = 150;

    public int MaxKillMs { get; init; } = 1000;

    /// <summary>Keep the data directory (printed) instead of deleting it.</summary>
    public bool Keep { get; init; }

    /// <summary>Run a 3-node replicated group and kill -9 its leader instead (<see cref="FailoverTestRunner"/>).</summary>
    public bool Replicated { get; init; }

    /// <summary>Replicated: [replication] election_timeout_ms of the nodes.</summary>
    public int ElectionTimeoutMs { get; init; } = 400;

    /// <summary>Replicated: freeze the leader (SIGSTOP, a partition as the others see it) and resume it after a new leader is elected, instead of kill -9.</summary>
    public bool Partition { get; init; }

    /// <summary>Replicated: [replication] ack of the nodes.</summary>
    public string Ack { get; init; } = "majority";

    public const string Help = """
        usage: hft crashtest [--iterations N] [--seconds S] [--mode sync|async] [--seed X] [--clients N] [--keep]
                             [--replicated [--partition] [--election-ms N] [--ack majority|leader]]

        Crash-recovery test against the real server: starts 'hft serve' (journal on, temp data dir, free loopback
        port), runs concurrent clients (A1 buys, A2 sells around 50000, plus cancels and replaces) recording every
        acknowledgment, kill -9s the server at a random moment, recovers the journal offline ('replay --journal'),
        restarts the server and checks: the state hash equals the offline one; every acknowledged order is there
        with the state its acks imply; no unacknowledged-and-unsent order appears; no trade happened twice; fills,
        orders and positions agree. Bounded by iterations AND seconds (defaults 50 and 600).
          --iterations N  kill -9 / restart cycles (1..100000)
          --seconds S     time budget in seconds (1..86400); no new cycle starts after it
          --mode M        journal mode of the server: sync (default) or async
          --seed X        random seed (printed; rerun with it to repeat the same choices)
          --clients N     concurrent clients per account (1..16, default 3)
          --keep          keep the data directory
          --replicated    start a 3-node replicated group instead ([replication] on, Raft on loopback); each cycle
                          kill -9s the LEADER, measures the time until another node takes order entry, restarts
                          the killed node (it catches up as a follower) and checks the same facts on the new
                          leader, plus identical state hashes on all three nodes at the same journal sequence
          --partition     replicated: instead of kill -9, freeze the leader with SIGSTOP (to the others it is cut
                          off), wait for a new leader, then SIGCONT it: it must step down and either follow or,
                          holding records the group did not commit, exit 75 and be restarted
          --election-ms N replicated: election timeout lower bound (50..10000, default 400)
          --ack A         replicated: majority (default) or leader
        Exit 0 when every check held, 1 on any violation (printed), 2 on a usage error.
        """;

    public static bool TryParse(IReadOnlyList<string> args, out CrashTestOptions options, out string? error)
    {
        options = new CrashTestOptions();
        error = null;
        for (int i = 0; i < args.Count; i++)
        {
            string a = args[i];
            string? Next() => i + 1 < args.Count ? args[++i] : null;
            switch (a)
            {
                case "--iterations":
                    if (!Int(Next(), 1, 100_000, out int n)) return Fail("--iterations must be a number 1..100000", out error);
                    options = options with { Iterations = n };
                    break;
                case "--seconds":
                    if (!Int(Next(), 1, 86_400, out int s)) return Fail("--seconds must be a number 1..86400", out error);
                    options = options with { Seconds = s };
                    break;
                case "--mode":
                    string? m = Next();
                    if (m is not ("sync" or "async")) return Fail("--mode must be sync or async", out error);
                    options = options with { Mode = m };
                    break;
                case "--seed":
                    if (!Int(Next(), 0, int.MaxValue, out int seed)) return Fail("--seed must be a non-negative number", out error);
                    options = options with { Seed = seed };
                    break;
                case "--clients":
                    if (!Int(Next(), 1, 16, out int c)) return Fail("--clients must be a number 1..16", out error);
                    options = options with { ClientsPerAccount = c };
                    break;
                case "--keep":
                    options = options with { Keep = true };
                    break;
                case "--replicated":
                    options = options with { Replicated = true };
                    break;
                case "--partition":
                    options = options with { Partition = true };
                    break;
                case "--election-ms":
                    if (!Int(Next(), 50, 10_000, out int e)) return Fail("--election-ms must be a number 50..10000", out error);
                    options = options with { ElectionTimeoutMs = e };
                    break;
                case "--ack":
                    string? ack = Next();
                    if (ack is not ("majority" or "leader")) return Fail("--ack must be majority or leader", out error);
                    options = options with { Ack = ack };
                    break;
                default:
                    return Fail($"unknown argument '{a}'", out error);
            }
        }
        return true;
    }

    private static bool Int(string? text, int min, int max, out int value)
        => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max;

    private static bool Fail(string message, out string? error)
    {
        error = message;
        return false;
    }
}
