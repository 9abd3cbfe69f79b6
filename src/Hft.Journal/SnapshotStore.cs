using Hft.Core.Book;
using Hft.Core.Instruments;
using Hft.Core.Matching;
using Hft.Core.Orders;
using Hft.Risk;

namespace Hft.Journal;

/// <summary>The newest usable snapshot of a directory, and what was wrong with newer ones.</summary>
public sealed record SnapshotLoad(SnapshotData? Snapshot, string? Path, IReadOnlyList<string> Warnings);

/// <summary>What pruning removed.</summary>
public sealed record PruneResult(IReadOnlyList<string> Snapshots, IReadOnlyList<string> Segments);

/// <summary>
/// Snapshot files in a data directory (next to the journal segments): capture from live state, atomic write, loading
/// the newest valid one, restore into a fresh engine and risk book, pruning.
/// </summary>
public static class SnapshotStore
{
    /// <summary>Snapshot files of a directory, oldest first.</summary>
    public static IReadOnlyList<(string Path, long Sequence)> List(string dir)
    {
        var list = new List<(string, long)>();
        if (!Directory.Exists(dir)) return list;
        foreach (var path in Directory.EnumerateFiles(dir, SnapshotFormat.Prefix + "*" + SnapshotFormat.Suffix))
            if (SnapshotFormat.TryParseFileName(System.IO.Path.GetFileName(path), out long seq)) list.Add((path, seq));
        list.Sort((a, b) => a.Item2.CompareTo(b.Item2));
        return list;
    }

    /// <summary>
    /// Copies the state out of the engines and the risk book (the caller makes sure nothing changes meanwhile: shards
    /// paused or not started). <paramref name="orderInfo"/> adds what clients saw of a live order, when known;
    /// <paramref name="riskOf"/> (the risk stage owning an instrument) gives the price each pending stop is reserved at.
    /// </summary>
    public static SnapshotData Capture(long sequence, long nextOrderId, InstrumentRegistry instruments, IEnumerable<MatchingEngine> engines,
        RiskBook risk, Func<int, string> accountName, Func<long, SnapshotOrderInfo?>? orderInfo = null, Func<int, RiskStage>? riskOf = null)
    {
        var data = new SnapshotData { Sequence = sequence, NextOrderId = nextOrderId, CreatedUnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() };
        var owners = new Dictionary<int, (MatchingEngine Engine, Hft.Core.Book.OrderBook Book)>();
        foreach (var engine in engines)
            foreach (var book in engine.Books) owners[book.Instrument.Index] = (engine, book);
        foreach (var inst in instruments.All)
        {
            var ri = risk.Instrument(inst.Index);
            if (ri is not null)
                data.Instruments.Add(new SnapshotInstrument(inst.Index, inst.Symbol, ri.BandPct, ri.Mark, ri.LastTrade, ri.OperatorHalted,
                    ri.FeedHalted, ri.BandWidenPpm));
            if (!owners.TryGetValue(inst.Index, out var owner)) continue;
            foreach (var side in new[] { Side.Buy, Side.Sell })
                foreach (var o in owner.Book.OrdersInPriority(side))
                    data.Orders.Add(Order(owner.Engine, owner.Engine.SlotOf(o.Id), orderInfo, reservedPrice: 0));
            var stops = owner.Engine.Stops(inst.Index);
            if (stops is null || stops.Count == 0) continue;
            var slots = new int[stops.Count];
            var stage = riskOf?.Invoke(inst.Index);
            foreach (bool onRise in new[] { true, false })
            {
                int n = stops.CopySlots(onRise, slots);
                for (int k = 0; k < n; k++)
                {
                    ref readonly var o = ref owner.Engine.Orders[slots[k]];
                    long reserved = stage?.ReservedPrice(o.Id) ?? 0;
                    if (reserved == 0 && o.Price is long.MaxValue or long.MinValue) reserved = ri?.ReferencePrice ?? 0;
                    data.Orders.Add(Order(owner.Engine, slots[k], orderInfo, reserved == o.Price ? 0 : reserved));
                }
            }
        }
        foreach (var a in risk.Accounts)
        {
            lock (a.Sync)
            {
                var positions = new List<(int, PositionState)>();
                for (int i = 0; i < a.InstrumentCapacity; i++)
                {
                    var p = a.Position(i);
                    if (p.Active || p.Position != 0 || p.OpenBuy != 0 || p.OpenSell != 0 || p.Cost.Raw != 0 || p.Realized.Raw != 0 || p.Fees.Raw != 0)
                        positions.Add((i, p));
                }
                data.Accounts.Add(new SnapshotAccount
                {
                    Id = a.Id, Name = accountName(a.Id), Declared = a.Declared, Enabled = a.Enabled, Limits = a.Limits,
                    OpenOrders = a.OpenOrders, SaturatedOpenOrders = a.SaturatedOpenOrders,
                    OpenNotional = a.SaturatedOpenOrders > 0 ? default : a.OpenNotional, Positions = positions,
                });
            }
        }
        return data;
    }

    private static SnapshotOrder Order(MatchingEngine engine, int slot, Func<long, SnapshotOrderInfo?>? orderInfo, long reservedPrice)
    {
        ref readonly var o = ref engine.Orders[slot];
        var terms = o.Flags == OrderFlags.None ? default : engine.Orders.Terms(slot);
        var info = orderInfo?.Invoke(o.Id) ?? new SnapshotOrderInfo(o.Remaining + terms.Hidden, 0, 0, null);
        return new SnapshotOrder(o.Instrument, o.Id, o.Account, o.Side, o.Price, o.Remaining, o.PostOnly, o.Stp, info.Quantity, info.Filled,
            info.CreatedMicros, info.ClientOrderId, o.Flags, terms, reservedPrice);
    }

    /// <summary>
    /// Restores a snapshot into a freshly built state (instruments and books added, no command run yet): instrument
    /// risk state, accounts (flags, limits, positions), then every live order (resting ones in queue order, pending stops in
    /// firing order, with their terms) into the engine that owns its instrument and its reservation into that shard's risk stage. The open totals rebuilt from the orders
    /// must equal the recorded ones, else the snapshot is refused as corrupt.
    /// </summary>
    /// <param name="data">The snapshot.</param>
    /// <param name="instruments">Instruments as configured now: every snapshot instrument must be there at the same index.</param>
    /// <param name="risk">The shared risk book.</param>
    /// <param name="shardOf">The engine and risk stage owning an instrument.</param>
    /// <param name="accountId">The account id a name has now (may create it): must be the recorded id, since journal records name ids.</param>
    public static void Restore(SnapshotData data, InstrumentRegistry instruments, RiskBook risk,
        Func<int, (MatchingEngine Engine, RiskStage Risk)> shardOf, Func<string, int> accountId, string name = "snapshot")
    {
        foreach (var si in data.Instruments)
        {
            if (si.Index < 0 || si.Index >= instruments.Count || instruments[si.Index].Symbol != si.Symbol)
                throw new SnapshotCorruptException(name, $"instrument {si.Symbol} (index {si.Index}) is not configured at that index");
            var ri = risk.Instrument(si.Index) ?? risk.AddInstrument(instruments[si.Index]);
            ri.BandPct = si.BandPct;
            ri.Mark = si.Mark;
            ri.LastTrade = si.LastTrade;
            shardOf(si.Index).Engine.RestoreLastTrade(si.Index, si.LastTrade); // stops fire, and are refused, against it
            ri.Halted = si.Halted;
            ri.FeedHalted = si.FeedHalted;
            ri.BandWidenPpm = si.BandWidenPpm;
        }
        foreach (var sa in data.Accounts)
        {
            if (sa.Name.Length > 0)
            {
                int id = accountId(sa.Name);
                if (id != sa.Id) throw new SnapshotCorruptException(name, $"account {sa.Name} has id {id} now but {sa.Id} in the snapshot");
            }
            var a = risk.Account(sa.Id);
            lock (a.Sync)
            {
                a.Declared = sa.Declared;
                a.Enabled = sa.Enabled;
                a.Limits = sa.Limits;
                a.ClearOpenTotals();
                for (int i = 0; i < a.InstrumentCapacity; i++) a.Position(i) = default;
                foreach (var (inst, p) in sa.Positions)
                {
                    if (inst < 0 || inst >= instruments.Count) throw new SnapshotCorruptException(name, $"account {sa.Name}: position in unknown instrument {inst}");
                    ref var pos = ref a.Position(inst);
                    pos = p;
                    pos.OpenBuy = 0;
                    pos.OpenSell = 0;
                }
            }
        }
        foreach (var o in data.Orders)
        {
            if (o.Instrument < 0 || o.Instrument >= instruments.Count) throw new SnapshotCorruptException(name, $"order {o.Id} in unknown instrument {o.Instrument}");
            var (engine, stage) = shardOf(o.Instrument);
            try
            {
                if (o.Flags == OrderFlags.None) engine.RestoreRestingOrder(o.Instrument, o.Id, o.Account, o.Side, o.Price, o.Remaining, o.PostOnly, o.Stp);
                else engine.RestoreOrderWithTerms(o.Instrument, o.Id, o.Account, o.Side, o.Price, o.Remaining, o.PostOnly, o.Stp, o.Flags, o.Terms);
                stage.RestoreOpenOrder(o.Id, o.Account, o.Instrument, o.Side, o.RiskPrice, o.OpenQuantity);
            }
            catch (InvalidOperationException e)
            {
                throw new SnapshotCorruptException(name, e.Message);
            }
        }
        foreach (var sa in data.Accounts)
        {
            var a = risk.Account(sa.Id);
            bool same = a.OpenOrders == sa.OpenOrders && a.SaturatedOpenOrders == sa.SaturatedOpenOrders
                && (sa.SaturatedOpenOrders > 0 || a.OpenNotional == sa.OpenNotional);
            foreach (var (inst, p) in sa.Positions)
                same &= a.Position(inst).OpenBuy == p.OpenBuy && a.Position(inst).OpenSell == p.OpenSell;
            if (!same) throw new SnapshotCorruptException(name, $"account {sa.Name}: open totals rebuilt from the orders differ from the recorded ones");
        }
    }

    /// <summary>Writes atomically: a temporary file, fsync, rename to <c>snapshot-{sequence:D20}.snap</c>, fsync the directory.</summary>
    public static string Write(string dir, SnapshotData data)
    {
        Directory.CreateDirectory(dir);
        string path = System.IO.Path.Combine(dir, SnapshotFormat.FileName(data.Sequence));
        WriteDurably(path, SnapshotFormat.Encode(data));
        return path;
    }

    /// <summary>
    /// Writes a whole file atomically and durably: a temporary file next to it, fsync, rename over
    /// <paramref name="path"/>, fsync the directory. A crash leaves the old file or the new one, never a torn one.
    /// </summary>
    public static void WriteDurably(string path, ReadOnlySpan<byte> bytes)
    {
        string temp = path + ".tmp";
        using (var f = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        {
            f.Write(bytes);
            f.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
        FsyncDirectory(System.IO.Path.GetDirectoryName(path)!);
    }

    /// <summary>
    /// Rebases a journal directory onto a snapshot of its replication group's state: a node whose journal ends before
    /// the snapshot's sequence (a far-behind or wiped follower) writes the snapshot here, and deletes the segments it
    /// supersedes (every one starting at or before the snapshot's sequence: their records are all in the snapshot, and
    /// the records between their end and the snapshot are not held here, so they could never be replayed). The
    /// journal then continues at <c>sequence + 1</c>; recovery, replay and backup see a pruned journal. Returns the
    /// names of the deleted segments.
    /// </summary>
    public static IReadOnlyList<string> Rebase(string dir, SnapshotData data)
    {
        Write(dir, data);
        var removed = new List<string>();
        foreach (var (path, first) in JournalReader.Segments(dir))
        {
            if (first > data.Sequence) break;
            File.Delete(path);
            removed.Add(System.IO.Path.GetFileName(path));
        }
        if (removed.Count > 0) FsyncDirectory(dir);
        return removed;
    }

    /// <summary>The newest snapshot that checks out; newer ones that do not are skipped with a warning each.</summary>
    public static SnapshotLoad LoadNewest(string dir)
    {
        var warnings = new List<string>();
        var all = List(dir);
        for (int k = all.Count - 1; k >= 0; k--)
        {
            var (path, seq) = all[k];
            string fileName = System.IO.Path.GetFileName(path);
            try
            {
                var data = SnapshotFormat.Decode(File.ReadAllBytes(path), fileName);
                if (data.Sequence != seq) throw new SnapshotCorruptException(fileName, $"header says sequence {data.Sequence}, name says {seq}");
                return new SnapshotLoad(data, path, warnings);
            }
            catch (SnapshotCorruptException e)
            {
                warnings.Add($"{e.Message}; skipped" + (k > 0 ? ", falling back to an older snapshot" : ""));
            }
            catch (IOException e)
            {
                warnings.Add($"snapshot {fileName} unreadable: {e.Message}; skipped");
            }
        }
        return new SnapshotLoad(null, null, warnings);
    }

    /// <summary>
    /// Keeps the newest <paramref name="keepSnapshots"/> snapshots and deletes older ones, then deletes the journal
    /// segments wholly covered by the OLDEST snapshot kept (a segment is covered when the next segment starts at or
    /// before that snapshot's sequence + 1), so that recovery can still fall back to it. No segment is deleted while
    /// fewer than <paramref name="keepSnapshots"/> snapshots exist. The newest segment is never deleted. Temporary files of interrupted snapshot writes are removed too.
    /// </summary>
    public static PruneResult Prune(string dir, int keepSnapshots = 2)
    {
        var removedSnapshots = new List<string>();
        var removedSegments = new List<string>();
        var snaps = List(dir);
        if (snaps.Count == 0) return new PruneResult(removedSnapshots, removedSegments);
        int drop = Math.Max(0, snaps.Count - Math.Max(1, keepSnapshots));
        for (int k = 0; k < drop; k++)
        {
            File.Delete(snaps[k].Path);
            removedSnapshots.Add(System.IO.Path.GetFileName(snaps[k].Path));
        }
        foreach (var tmp in Directory.EnumerateFiles(dir, SnapshotFormat.Prefix + "*" + SnapshotFormat.Suffix + ".tmp")) File.Delete(tmp);
        // Segments go only once there are enough snapshots that the older one can stand in for a corrupt newer one.
        if (snaps.Count < Math.Max(1, keepSnapshots))
        {
            if (removedSnapshots.Count > 0) FsyncDirectory(dir);
            return new PruneResult(removedSnapshots, removedSegments);
        }
        long covered = snaps[drop].Sequence;
        var segments = JournalReader.Segments(dir);
        for (int s = 0; s + 1 < segments.Count; s++)
        {
            if (segments[s + 1].FirstSequence > covered + 1) break;
            File.Delete(segments[s].Path);
            removedSegments.Add(System.IO.Path.GetFileName(segments[s].Path));
        }
        if (removedSegments.Count > 0 || removedSnapshots.Count > 0) FsyncDirectory(dir);
        return new PruneResult(removedSnapshots, removedSegments);
    }

    /// <summary>Makes the names in <paramref name="dir"/> durable (Linux; best effort elsewhere).</summary>
    public static void FsyncDirectory(string dir)
    {
        if (!OperatingSystem.IsLinux()) return;
        try
        {
            using var handle = File.OpenHandle(dir, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, FileOptions.None);
            RandomAccess.FlushToDisk(handle);
        }
        catch (UnauthorizedAccessException)
        {
        }
        catch (IOException)
        {
        }
    }
}
