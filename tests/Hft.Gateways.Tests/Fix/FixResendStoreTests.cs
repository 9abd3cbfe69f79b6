using System.Text;
using Hft.Gateways.Fix;

namespace Hft.Gateways.Tests.Fix;

/// <summary>The persisted resend store: reload after a restart, torn tails, the bound, resets.</summary>
public sealed class FixResendStoreTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "hft-fix-sent-" + Guid.NewGuid().ToString("N"));

    private string StorePath => Path.Combine(_dir, "HFT-CLIENT.sent");

    private string NewestFile => StorePath + ".0"; // the first file written (generation 1), while the window is not full

    private static byte[] Body(long s) => Encoding.ASCII.GetBytes($"11=X{s}\u000117=E{s}\u0001");

    private static readonly DateTime T0 = new(2026, 1, 2, 3, 4, 5, 678, DateTimeKind.Utc);

    private static void AddRange(FixResendStore store, long from, long to)
    {
        for (long s = from; s <= to; s++)
        {
            store.Add(s, "8"u8, Body(s), T0.AddSeconds(s));
            if (s % 3 == 0) store.Flush();
        }
        store.Flush();
    }

    private static void AssertHeld(FixResendStore store, long seq)
    {
        Assert.True(store.TryGet(seq, out var type, out var body, out var sent), $"seq {seq} held");
        Assert.Equal("8", Encoding.ASCII.GetString(type));
        Assert.Equal(Body(seq), body.ToArray());
        Assert.Equal(T0.AddSeconds(seq), sent);
    }

    [Fact]
    public void Messages_survive_reopening()
    {
        using (var store = new FixResendStore(16, StorePath)) AddRange(store, 1, 10);
        using (var store = new FixResendStore(16, StorePath))
        {
            for (long s = 1; s <= 10; s++) AssertHeld(store, s);
            Assert.False(store.TryGet(11, out _, out _, out _));
            AddRange(store, 11, 12);
        }
        using (var store = new FixResendStore(16, StorePath)) AssertHeld(store, 12);
    }

    [Fact]
    public void A_torn_or_corrupt_tail_is_ignored_and_cut()
    {
        using (var store = new FixResendStore(16, StorePath)) AddRange(store, 1, 5);
        long good = new FileInfo(NewestFile).Length;
        using (var s = new FileStream(NewestFile, FileMode.Append)) s.Write([0x40, 0, 0, 0, 1, 2, 3]); // half an entry
        using (var store = new FixResendStore(16, StorePath))
        {
            for (long s = 1; s <= 5; s++) AssertHeld(store, s);
            Assert.Equal(good, new FileInfo(NewestFile).Length);
            AddRange(store, 6, 6);
        }
        // flip a byte in the last entry's body: its CRC fails, the ones before it load
        var bytes = File.ReadAllBytes(NewestFile);
        bytes[^2] ^= 0x55;
        File.WriteAllBytes(NewestFile, bytes);
        using (var store = new FixResendStore(16, StorePath))
        {
            for (long s = 1; s <= 5; s++) AssertHeld(store, s);
            Assert.False(store.TryGet(6, out _, out _, out _));
        }
    }

    [Fact]
    public void The_files_stay_bounded_and_keep_the_last_window()
    {
        const int capacity = 8;
        using (var store = new FixResendStore(capacity, StorePath)) AddRange(store, 1, 1000);
        int onDisk = CountEntries(StorePath + ".0") + CountEntries(StorePath + ".1");
        Assert.True(onDisk <= 2 * (capacity + 2), $"{onDisk} entries on disk"); // the window, twice, plus one flushed batch
        using (var store = new FixResendStore(capacity, StorePath))
        {
            for (long s = 1000 - capacity + 1; s <= 1000; s++) AssertHeld(store, s);
            Assert.False(store.TryGet(1000 - capacity, out _, out _, out _));
        }
    }

    [Fact]
    public void A_reset_empties_the_store()
    {
        using (var store = new FixResendStore(4, StorePath))
        {
            AddRange(store, 1, 9);
            store.Clear();
            Assert.False(store.TryGet(9, out _, out _, out _));
        }
        Assert.Equal(8, new FileInfo(StorePath + ".0").Length); // the generation only
        Assert.Equal(0, new FileInfo(StorePath + ".1").Length);
        using (var store = new FixResendStore(4, StorePath)) Assert.False(store.TryGet(9, out _, out _, out _));
    }

    private static int CountEntries(string path)
    {
        if (!File.Exists(path)) return 0;
        var b = File.ReadAllBytes(path);
        int n = 0;
        for (int o = 8; o + 8 <= b.Length; o += 8 + BitConverter.ToInt32(b, o)) n++; // after the generation
        return n;
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, true);
    }
}
