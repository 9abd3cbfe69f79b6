using System.Net;
using Hft.Auth.Guards;

namespace Hft.Auth.Tests.Guards;

/// <summary>The per-address and not-yet-logged-on limits of one listener, and that every ticket gives its place back once.</summary>
public sealed class ConnectionGateTests
{
    private static readonly IPAddress s_a = IPAddress.Parse("10.0.0.1");
    private static readonly IPAddress s_b = IPAddress.Parse("10.0.0.2");

    [Fact]
    public void One_address_cannot_hold_more_than_its_share_and_others_still_get_in()
    {
        var gate = new ConnectionGate(maxPerAddress: 2, maxUnauthenticated: 100);
        Assert.True(gate.TryAdmit(s_a, out var t1, out _));
        Assert.True(gate.TryAdmit(IPAddress.Parse("::ffff:10.0.0.1"), out var t2, out _)); // the same client over IPv6
        Assert.False(gate.TryAdmit(s_a, out var none, out var why));
        Assert.Null(none);
        Assert.Contains("this address", why);
        Assert.True(gate.TryAdmit(s_b, out var t3, out _));
        t1!.Dispose();
        t1.Dispose(); // twice gives back one place
        Assert.Equal(1, gate.OpenFrom(s_a));
        Assert.True(gate.TryAdmit(s_a, out var t4, out _));
        foreach (var t in new[] { t2, t3, t4 }) t!.Dispose();
        Assert.Equal(0, gate.OpenFrom(s_a));
        Assert.Equal(0, gate.Unauthenticated);
    }

    [Fact]
    public void Connections_that_never_log_on_cannot_take_every_place_and_logged_on_ones_free_theirs()
    {
        var gate = new ConnectionGate(maxPerAddress: 1000, maxUnauthenticated: 3);
        var waiting = new List<ConnectionGate.Ticket>();
        for (int i = 0; i < 3; i++)
        {
            Assert.True(gate.TryAdmit(IPAddress.Parse($"10.1.0.{i}"), out var t, out _));
            waiting.Add(t!);
        }
        Assert.False(gate.TryAdmit(s_b, out _, out var why));
        Assert.Contains("waiting to log on", why);

        waiting[0].LoggedOn();
        waiting[0].LoggedOn();
        Assert.Equal(2, gate.Unauthenticated);
        Assert.True(gate.TryAdmit(s_b, out var fourth, out _));
        waiting[0].Dispose(); // a logged-on connection ending does not free a waiting place twice
        Assert.Equal(3, gate.Unauthenticated);
        foreach (var t in waiting.Skip(1).Append(fourth!)) t.Dispose();
        Assert.Equal(0, gate.Unauthenticated);
    }

    [Fact]
    public void Racing_logons_and_disposals_leave_the_counts_exact()
    {
        var gate = new ConnectionGate(maxPerAddress: 100_000, maxUnauthenticated: 100_000);
        var tickets = new ConnectionGate.Ticket[20_000];
        for (int i = 0; i < tickets.Length; i++)
        {
            Assert.True(gate.TryAdmit(s_a, out var t, out _));
            tickets[i] = t!;
        }
        Parallel.For(0, tickets.Length, i =>
        {
            if (i % 2 == 0) tickets[i].LoggedOn();
            tickets[i].Dispose();
            tickets[i].LoggedOn();
        });
        Assert.Equal(0, gate.Unauthenticated);
        Assert.Equal(0, gate.OpenFrom(s_a));
    }
}
