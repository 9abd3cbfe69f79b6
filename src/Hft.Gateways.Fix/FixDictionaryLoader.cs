using System.Globalization;
using System.Text;
using System.Xml.Linq;

namespace Hft.Gateways.Fix;

/// <summary>What a dictionary file holds, as the flat tables validation reads: per tag its type, enumeration and name.</summary>
internal sealed record FixDictionaryData(
    FixFieldType[] Types,
    byte[][]?[] Enums,
    string?[] Names,
    FixMessageDefinition Header,
    FixMessageDefinition Trailer,
    FixMessageDefinition[] Messages);

/// <summary>
/// Reads a data dictionary in the QuickFIX format (<c>fix</c>: <c>header</c>, <c>trailer</c>, <c>messages</c>,
/// <c>components</c>, <c>fields</c>) once at start; components are expanded where they are used. A dictionary that
/// names an unknown field, type or component throws: it is data shipped with the code, wrong only by mistake.
/// </summary>
internal static class FixDictionaryLoader
{
    public const string ResourceName = "Hft.Gateways.Fix.FIX44.xml";

    public static FixDictionaryData LoadEmbedded()
    {
        using var stream = typeof(FixDictionaryLoader).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"embedded FIX dictionary {ResourceName} missing");
        return Load(XDocument.Load(stream));
    }

    public static FixDictionaryData Load(XDocument xml)
    {
        var root = xml.Root ?? throw Invalid("no root element");
        var types = new FixFieldType[FixDictionary.MaxTag + 1];
        byte[][]?[] enums = new byte[FixDictionary.MaxTag + 1][][];
        var names = new string?[FixDictionary.MaxTag + 1];
        var numbers = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var f in Section(root, "fields").Elements("field"))
        {
            int number = int.Parse(Attr(f, "number"), CultureInfo.InvariantCulture);
            if (number is <= 0 or > FixDictionary.MaxTag) throw Invalid($"field {number} outside 1..{FixDictionary.MaxTag}");
            string name = Attr(f, "name");
            if (!numbers.TryAdd(name, number) || names[number] is not null) throw Invalid($"field {name} ({number}) defined twice");
            names[number] = name;
            types[number] = TypeOf(Attr(f, "type"), name);
            var values = f.Elements("value").Select(v => Encoding.ASCII.GetBytes(Attr(v, "enum"))).ToArray();
            if (values.Length > 0) enums[number] = values;
        }
        var components = root.Element("components")?.Elements("component").ToDictionary(c => Attr(c, "name"), StringComparer.Ordinal)
                         ?? new Dictionary<string, XElement>(StringComparer.Ordinal);
        var reader = new Reader(numbers, components, types);
        var messages = Section(root, "messages").Elements("message")
            .Select(m => reader.Message(m, Attr(m, "name"), Attr(m, "msgtype"), Attr(m, "msgcat") == "admin")).ToArray();
        return new FixDictionaryData(types, enums, names, reader.Message(Section(root, "header"), "header", "", admin: true),
            reader.Message(Section(root, "trailer"), "trailer", "", admin: true), messages);
    }

    private sealed class Reader(Dictionary<string, int> numbers, Dictionary<string, XElement> components, FixFieldType[] types)
    {
        public FixMessageDefinition Message(XElement element, string name, string msgType, bool admin)
        {
            var fields = new List<int>();
            var required = new List<int>();
            var groups = new List<FixGroupDefinition>();
            Collect(element, required: true, fields, required, groups);
            return new FixMessageDefinition(name, msgType, admin, fields, required.ToArray(), groups.ToArray());
        }

        // The fields, required fields and groups of one level (a message or a group entry); components inlined.
        private void Collect(XElement level, bool required, List<int> fields, List<int>? requiredFields, List<FixGroupDefinition> groups)
        {
            foreach (var e in level.Elements())
            {
                bool isRequired = required && e.Attribute("required")?.Value == "Y";
                switch (e.Name.LocalName)
                {
                    case "field":
                        fields.Add(Number(e));
                        if (isRequired) requiredFields?.Add(Number(e));
                        break;
                    case "group":
                        fields.Add(Number(e));
                        if (isRequired) requiredFields?.Add(Number(e));
                        groups.Add(Group(e));
                        break;
                    case "component":
                        if (!components.TryGetValue(Attr(e, "name"), out var component)) throw Invalid($"unknown component {Attr(e, "name")}");
                        Collect(component, isRequired, fields, requiredFields, groups);
                        break;
                    default:
                        throw Invalid($"unexpected element {e.Name.LocalName}");
                }
            }
        }

        private FixGroupDefinition Group(XElement e)
        {
            int count = Number(e);
            if (types[count] != FixFieldType.NumInGroup) throw Invalid($"group {Attr(e, "name")} is not a NUMINGROUP field");
            var members = new List<int>();
            var nested = new List<FixGroupDefinition>();
            Collect(e, required: false, members, null, nested);
            if (members.Count is 0 or > FixGroupDefinition.MaxMembers) throw Invalid($"group {Attr(e, "name")} has {members.Count} fields");
            return new FixGroupDefinition(count, members.ToArray(), nested.ToArray());
        }

        private int Number(XElement e) => numbers.TryGetValue(Attr(e, "name"), out int n) ? n : throw Invalid($"unknown field {Attr(e, "name")}");
    }

    private static FixFieldType TypeOf(string type, string field) => type switch
    {
        "INT" => FixFieldType.Int,
        "SEQNUM" or "LENGTH" or "DAYOFMONTH" => FixFieldType.NonNegativeInt,
        "NUMINGROUP" => FixFieldType.NumInGroup,
        "QTY" or "PRICE" or "PRICEOFFSET" or "AMT" or "FLOAT" or "PERCENTAGE" => FixFieldType.Float,
        "CHAR" => FixFieldType.Char,
        "BOOLEAN" => FixFieldType.Boolean,
        "UTCTIMESTAMP" => FixFieldType.UtcTimestamp,
        "UTCDATEONLY" or "UTCDATE" or "LOCALMKTDATE" => FixFieldType.Date,
        "UTCTIMEONLY" => FixFieldType.UtcTimeOnly,
        "MONTHYEAR" => FixFieldType.MonthYear,
        "MULTIPLEVALUESTRING" => FixFieldType.MultipleValueString,
        "STRING" or "DATA" or "CURRENCY" or "EXCHANGE" or "COUNTRY" => FixFieldType.Unchecked,
        _ => throw Invalid($"field {field}: unknown type {type}"),
    };

    private static XElement Section(XElement root, string name) => root.Element(name) ?? throw Invalid($"no <{name}> section");

    private static string Attr(XElement e, string name) => e.Attribute(name)?.Value ?? throw Invalid($"<{e.Name.LocalName}> without {name}");

    private static InvalidDataException Invalid(string problem) => new("FIX dictionary: " + problem);
}
