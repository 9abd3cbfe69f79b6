namespace Hft.Gateways.Tests.Fix.Conformance;

/// <summary>
/// FIX 4.4 application-level validation: every scenario of <c>fix44-application.txt</c> (the data dictionary's
/// Rejects, Business Message Rejects for unsupported message types and conditionally required fields, and the
/// venue's own ExecutionReport rejects left as they were) run like the session scenarios against a fresh acceptor.
/// docs/protocol/fix.md ("Conformance") lists them.
/// </summary>
public class ApplicationConformanceTests
{
    public static string ScriptPath => SessionConformanceTests.PathOf("fix44-application.txt");

    public static TheoryData<string> Scenarios() => SessionConformanceTests.ScenarioIds(ScriptPath);

    [Fact]
    public void The_script_holds_every_scenario_once() => SessionConformanceTests.AssertDistinctIds(ScriptPath, atLeast: 15);

    [Theory]
    [MemberData(nameof(Scenarios))]
    public Task Scenario(string id) => SessionConformanceTests.RunScenarioAsync(ScriptPath, id);

    [Fact]
    public async Task Agreed_custom_tags_are_accepted_in_orders_and_nowhere_else()
    {
        var script = SessionScript.Parse("""
            ## custom-tags With fix_allowed_custom_tags = [5001, 7010]
            logon
            send 35=D|34=2|{ids}|52={now}|11=K1|21=1|40=2|44=49000.00|54=1|38=0.1|55=BTCUSD|60={now}|5001=desk-7|7010=x
            expect 35=8|34=2|11=K1|150=0|!5001
            send 35=D|34=3|{ids}|52={now}|11=K2|21=1|40=2|44=49000.00|54=1|38=0.1|55=BTCUSD|60={now}|5002=other
            expect 35=3|34=3|45=3|371=5002|372=D|373=0
            send 35=1|34=4|{ids}|52={now}|112=T|5001=x
            expect 35=3|34=4|45=4|371=5001|372=1|373=2
            send 35=F|34=5|{ids}|52={now}|11=K3|41=K1|55=BTCUSD|54=1|60={now}|7010=y
            expect 35=8|34=5|11=K3|41=K1|150=4
            """.Split('\n'), "inline").Single();
        var clock = new ManualTimerClock();
        await using var f = await FixServerFixture.StartAsync(c => c with { Gateway = c.Gateway with { FixAllowedCustomTags = [5001, 7010] } },
            gatewayClock: clock);
        await SessionConformanceTests.RunAsync(script, f.Port, () => clock.GetUtcNow().UtcDateTime);
    }
}
