namespace Hft.Core.Tests.Invariants;

/// <summary>The id index remembers every accepted id (live slot or dead), through growth, for any long id.</summary>
public class OrderIdIndexTests
{
    [Fact]
    public void Remembers_live_and_dead_ids_through_growth_for_any_id()
    {
        var index = new OrderIdIndex(4);
        var random = new Random(5);
        var ids = new List<long> { 0, -1, long.MaxValue, long.MinValue };
        for (int i = 0; i < 20_000; i++) ids.Add(random.NextInt64(long.MinValue, long.MaxValue));
        for (int i = 0; i < 5000; i++) ids.Add((long)i << 44); // same low bits: stresses probing
        ids = ids.Distinct().ToList();

        for (int i = 0; i < ids.Count; i++)
        {
            Assert.Equal(OrderIdIndex.Absent, index.Find(ids[i]));
            index.Add(ids[i], i % 3 == 0 ? OrderIdIndex.Dead : i);
        }
        Assert.Equal(ids.Count, index.Count);
        for (int i = 0; i < ids.Count; i++)
        {
            Assert.Equal(i % 3 == 0 ? OrderIdIndex.Dead : i, index.Find(ids[i]));
            if (i % 3 == 1) index.MarkDead(ids[i]);
            if (i % 3 == 0) index.Update(ids[i], 7);
        }
        for (int i = 0; i < ids.Count; i++)
            Assert.Equal(i % 3 == 0 ? 7 : i % 3 == 1 ? OrderIdIndex.Dead : i, index.Find(ids[i]));
        Assert.Equal(OrderIdIndex.Absent, index.Find(42_424_242_424_242));
    }
}
