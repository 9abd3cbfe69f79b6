using System.Text;

namespace Hft.Cli.Tests;

/// <summary>Writes a seeded random replay file: instruments, then a mix of every command and order kind.</summary>
internal static class RandomReplayFile
{
    public static string Build(int seed, int lines)
    {
        var r = new Random(seed);
        var sb = new StringBuilder();
        string[] symbols = ["AAA", "BBB"];
        foreach (var s in symbols) sb.Append($"{{\"op\":\"instrument\",\"symbol\":\"{s}\",\"tick\":\"0.05\",\"lot\":\"0.001\"}}\n");
        string[] tifs = ["gtc", "gtc", "gtc", "ioc", "fok"];
        string[] stps = ["none", "cancel_taker", "cancel_maker", "cancel_both"];
        for (int i = 1; i <= lines; i++)
        {
            string sym = symbols[r.Next(symbols.Length)];
            string acct = "T" + r.Next(4);
            long id = r.Next(1, i + 1);
            double x = r.NextDouble();
            if (x < 0.2)
                sb.Append($"{{\"op\":\"cancel\",\"id\":{id},\"account\":\"{acct}\",\"symbol\":\"{sym}\"}}\n");
            else if (x < 0.3)
                sb.Append($"{{\"op\":\"replace\",\"id\":{id},\"account\":\"{acct}\",\"symbol\":\"{sym}\",\"price\":\"{Price(r)}\",\"qty\":\"{Qty(r)}\"}}\n");
            else if (x < 0.38)
                sb.Append($"{{\"op\":\"new\",\"id\":{i},\"account\":\"{acct}\",\"symbol\":\"{sym}\",\"side\":\"{Side(r)}\",\"type\":\"market\",\"qty\":\"{Qty(r)}\",\"stp\":\"{stps[r.Next(4)]}\"}}\n");
            else
                sb.Append($"{{\"op\":\"new\",\"id\":{i},\"account\":\"{acct}\",\"symbol\":\"{sym}\",\"side\":\"{Side(r)}\",\"type\":\"limit\",\"tif\":\"{tifs[r.Next(tifs.Length)]}\",\"price\":\"{Price(r)}\",\"qty\":\"{Qty(r)}\",\"postOnly\":{(r.Next(10) == 0 ? "true" : "false")},\"stp\":\"{stps[r.Next(4)]}\"}}\n");
        }
        return sb.ToString();
    }

    private static string Side(Random r) => r.Next(2) == 0 ? "buy" : "sell";

    private static string Price(Random r) => (100m + r.Next(-20, 21) * 0.05m).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Qty(Random r) => (r.Next(1, 3000) * 0.001m).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
