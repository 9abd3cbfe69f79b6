using CsCheck;
using Hft.Core.Orders;

namespace Hft.Risk.Tests.Tables;

/// <summary>The open-addressing table behaves like a Dictionary under random add/remove/find, through growth.</summary>
public class OpenOrderTableTests
{
    private static OpenOrder Order(long id, int salt)
        => new() { Id = id, Account = salt, Instrument = salt % 3, Side = salt % 2 == 0 ? Side.Buy : Side.Sell, Price = id * 7 + salt, Remaining = salt + 1 };

    /// <summary>op: 0-5 add (if absent), 6-8 remove, 9 find. Keys from a small range collide and reuse slots.</summary>
    private static void Run((int Op, int Key, int Salt)[] ops, int capacity, long keyScale)
    {
        var table = new OpenOrderTable(capacity);
        var reference = new Dictionary<long, OpenOrder>();
        foreach (var (op, key, salt) in ops)
        {
            long id = key * keyScale;
            if (op < 6)
            {
                if (reference.ContainsKey(id)) continue;
                var order = Order(id, salt);
                table.Add(in order);
                reference[id] = order;
            }
            else if (op < 9)
            {
                Assert.Equal(reference.Remove(id), table.Remove(id));
            }
            else
            {
                ref var found = ref table.Find(id);
                Assert.Equal(reference.ContainsKey(id), !System.Runtime.CompilerServices.Unsafe.IsNullRef(ref found));
            }
            Assert.Equal(reference.Count, table.Count);
        }
        foreach (var (id, expected) in reference)
        {
            ref var found = ref table.Find(id);
            Assert.False(System.Runtime.CompilerServices.Unsafe.IsNullRef(ref found), $"id {id} lost");
            Assert.Equal(expected, found);
        }
        for (long k = 0; k < 600; k++)
            if (!reference.ContainsKey(k * keyScale))
                Assert.True(System.Runtime.CompilerServices.Unsafe.IsNullRef(ref table.Find(k * keyScale)));
    }

    private static readonly Gen<(int, int, int)> SmallKeys = Gen.Select(Gen.Int[0, 9], Gen.Int[0, 40], Gen.Int[0, 1000]);
    private static readonly Gen<(int, int, int)> WideKeys = Gen.Select(Gen.Int[0, 9], Gen.Int[0, 600], Gen.Int[0, 1000]);

    [Fact]
    public void Small_key_range_many_collisions_no_growth()
        => SmallKeys.Array[0, 400].Sample(ops => Run(ops, 16, 1), iter: 300);

    [Fact]
    public void Wide_key_range_grows_from_minimum_size()
        => WideKeys.Array[0, 1500].Sample(ops => Run(ops, 1, 1), iter: 100);

    [Fact]
    public void Keys_that_are_multiples_of_a_power_of_two()
        => WideKeys.Array[0, 1000].Sample(ops => Run(ops, 1, 1L << 32), iter: 60);

    [Fact]
    public void Fill_to_growth_then_drain_in_random_order()
    {
        var random = new Random(42);
        var table = new OpenOrderTable(8);
        var ids = Enumerable.Range(0, 5000).Select(i => (long)random.Next() << 3).Distinct().ToArray();
        foreach (var id in ids) table.Add(Order(id, (int)(id % 97)));
        Assert.Equal(ids.Length, table.Count);
        random.Shuffle(ids);
        for (int i = 0; i < ids.Length; i++)
        {
            Assert.True(table.Remove(ids[i]));
            Assert.False(table.Remove(ids[i]));
            if (i % 250 == 0)
                for (int j = i + 1; j < ids.Length; j++)
                    Assert.Equal(ids[j], table.Find(ids[j]).Id);
        }
        Assert.Equal(0, table.Count);
    }

    [Fact]
    public void Find_returns_a_reference_into_the_table()
    {
        var table = new OpenOrderTable(4);
        table.Add(Order(5, 1));
        table.Find(5).Remaining = 99;
        Assert.Equal(99, table.Find(5).Remaining);
    }
}
