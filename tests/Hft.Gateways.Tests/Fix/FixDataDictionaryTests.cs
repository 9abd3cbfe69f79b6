using System.Reflection;
using System.Xml.Linq;
using Hft.Client;
using Hft.Gateways.Fix;

namespace Hft.Gateways.Tests.Fix;

/// <summary>
/// The embedded data dictionary (src/Hft.Gateways.Fix/Dictionary/FIX44.xml) against the code: it parses, it has an
/// entry for every message type the acceptor handles or sends and a field for every tag it reads or writes, so the two
/// cannot drift apart; validating a valid order allocates nothing.
/// </summary>
public class FixDataDictionaryTests
{
    private static IEnumerable<byte> MsgTypeConstants() => typeof(FixMsgTypes).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(byte)).Select(f => (byte)f.GetRawConstantValue()!);

    [Fact]
    public void The_embedded_dictionary_parses_with_the_session_and_order_entry_messages()
    {
        Assert.Equal(["0", "1", "2", "3", "4", "5", "8", "9", "A", "D", "F", "G", "j", "q", "r"],
            FixDictionary.Messages.Select(m => m.MsgType).Order(StringComparer.Ordinal));
        Assert.True(FixDictionary.Header.Allows(FixTags.SendingTime));
        Assert.True(FixDictionary.Trailer.Allows(FixTags.CheckSum));
    }

    [Fact]
    public void Every_message_type_the_acceptor_handles_or_sends_has_an_entry_of_its_category()
    {
        foreach (byte type in MsgTypeConstants())
        {
            var def = FixDictionary.Message([type]);
            Assert.True(def is not null, $"no dictionary entry for MsgType {(char)type}");
            Assert.Equal(FixMsgTypes.IsAdmin(type), def.IsAdmin);
        }
        foreach (char c in "DFGqj")
            Assert.True(FixMsgTypes.IsAcceptedApplication((byte)c));
    }

    [Fact]
    public void Every_tag_the_acceptor_reads_or_writes_is_a_dictionary_field()
    {
        var tags = typeof(FixTags).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).ToList();
        Assert.NotEmpty(tags);
        foreach (var f in tags)
        {
            int tag = (int)f.GetRawConstantValue()!;
            Assert.True(FixDictionary.NameOf(tag) != tag.ToString(System.Globalization.CultureInfo.InvariantCulture), $"{f.Name} ({tag}) not in the dictionary");
        }
    }

    [Fact]
    public void The_fields_the_order_entry_requires_are_required_by_the_dictionary()
    {
        Assert.Equal([11, 55, 54, 60, 38, 40], FixDictionary.Message("D"u8)!.Required);
        Assert.Equal([41, 11, 55, 54, 60], FixDictionary.Message("F"u8)!.Required);
        Assert.Equal([41, 11, 55, 54, 60, 38, 40], FixDictionary.Message("G"u8)!.Required);
        Assert.Equal([11, 530, 60], FixDictionary.Message("q"u8)!.Required);
    }

    [Fact]
    public void Groups_and_components_are_expanded()
    {
        var d = FixDictionary.Message("D"u8)!;
        var parties = d.Group(453)!;
        Assert.Equal([448, 447, 452, 802], parties.Members.ToArray());
        Assert.Equal([523, 803], parties.Nested(802)!.Members.ToArray());
        Assert.True(d.Allows(453) && !d.Allows(448) && d.Allows(55) && d.Allows(38));
        Assert.Null(d.Group(55));
    }

    [Theory]
    [InlineData("<fix><header/><trailer/><messages><message name='X' msgtype='X' msgcat='app'><field name='Nope' required='N'/></message></messages><fields/></fix>")]
    [InlineData("<fix><header/><trailer/><messages/><fields><field number='1' name='A' type='WEIRD'/></fields></fix>")]
    [InlineData("<fix><header/><trailer/><messages/><fields><field number='5000' name='A' type='STRING'/></fields></fix>")]
    [InlineData("<fix><header/><trailer/><messages><message name='X' msgtype='X' msgcat='app'><component name='C' required='N'/></message></messages><fields/></fix>")]
    public void A_broken_dictionary_is_refused_at_load(string xml)
        => Assert.Throws<InvalidDataException>(() => FixDictionaryLoader.Load(XDocument.Parse(xml)));

    [Fact]
    public void Validating_a_valid_new_order_single_allocates_nothing()
    {
        var frame = FixFrames.Frame("35=D|49=CLIENT_A1|56=HFT|34=2|52=20260101-00:00:00.000|11=A1|1=ACC|453=1|448=TRADER|447=D|452=11|21=1|55=BTCUSD|"
                                    + "54=1|60=20260101-00:00:00.000|38=1.5|40=2|44=100.25|59=1|386=1|336=CONT|5001=custom|");
        var m = new FixMessage();
        Assert.True(m.TryParse(frame, 0, frame.Length, out _, out _));
        var validator = new FixValidator([5001]);
        Assert.Equal(FixVerdict.Accept, validator.Validate(m).Verdict);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++) validator.Validate(m);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public async Task Every_message_the_acceptor_sends_conforms_to_its_dictionary_entry()
    {
        await using var f = await FixServerFixture.StartAsync();
        await using var maker = await f.LogonAsync();
        await using var taker = await f.LogonAsync(sender: "CLIENT_A2");
        var received = new List<FixReceived>();
        FixReceived Expect(FixClient c, string type)
        {
            var m = c.Expect(r => r.MsgType == type);
            received.Add(m);
            return m;
        }

        maker.NewOrder("S1", "ETHUSD", '2', "3", "3000.00");
        Expect(maker, "8");
        maker.Replace("S2", "S1", "ETHUSD", '2', "4", "3000.00");
        Expect(maker, "8");
        taker.NewOrder("T1", "ETHUSD", '1', "1", "3000.00", tif: '3');
        Expect(taker, "8");
        Expect(maker, "8");
        maker.Cancel("S3", "S2", "ETHUSD", '2');
        Expect(maker, "8");
        maker.Cancel("S4", "NO-SUCH", "ETHUSD", '2');
        Expect(maker, "9");
        maker.NewOrder("S5", "NOPE", '1', "1", "1.00");
        Expect(maker, "8");
        maker.MassCancel("M1", "BTCUSD");
        Expect(maker, "r");
        maker.MassCancel("M2", "NOPE");
        Expect(maker, "r");
        maker.Send("H", FixClient.Body("11=H1|55=BTCUSD|54=1"));
        Expect(maker, "j");
        maker.Send("D", FixClient.Body("11=J1|55=BTCUSD|54=1|60=20260101-00:00:00|38=1|40=2"));
        Expect(maker, "j");

        var validator = new FixValidator();
        foreach (var r in received)
        {
            var frame = FixFrames.Frame(r.Raw[(r.Raw.IndexOf("|35=", StringComparison.Ordinal) + 1)..r.Raw.LastIndexOf("|10=", StringComparison.Ordinal)] + "|");
            var m = new FixMessage();
            Assert.True(m.TryParse(frame, 0, frame.Length, out _, out _), r.Raw);
            var check = validator.Conforms(m, FixDictionary.Message(System.Text.Encoding.ASCII.GetBytes(r.MsgType))!);
            Assert.True(check.Verdict == FixVerdict.Accept, $"{r.Raw}: 373={(int)check.SessionReason} on tag {check.RefTag}");
        }
    }
}
