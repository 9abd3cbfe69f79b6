using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Hft.Auth;
using Hft.Configuration;
using Hft.Node;
using Hft.Server.Auth;

namespace Hft.Server.Tests.Support;

/// <summary>
/// A real <see cref="TradingNode"/> on a free port (development profile, metrics_port = 0) with an HTTP client and
/// trader tokens for A1 and A2, for the operations tests (metrics, debug endpoints, OpenAPI). Stopped on dispose.
/// </summary>
public sealed class MetricsServerFixture : IAsyncDisposable
{
    private MetricsServerFixture(TradingNode server, HttpClient http)
    {
        Server = server;
        Http = http;
        var tokens = new TokenService(server.Config.Auth, SigningKeys.From(server.Config.Auth));
        TokenA1 = tokens.Mint("A1", Roles.Trader);
        TokenA2 = tokens.Mint("A2", Roles.Trader);
        AdminToken = tokens.Mint("ADMIN", Roles.Admin);
    }

    public TradingNode Server { get; }

    public HttpClient Http { get; }

    public string TokenA1 { get; }

    public string TokenA2 { get; }

    public string AdminToken { get; }

    /// <summary>The development profile's ops token (config/development.toml, ops_token_sha256).</summary>
    public const string OpsToken = "dev-ops-token";

    /// <summary>The development profile with a free metrics port, optionally edited, as the operations tests use it.</summary>
    public static HftConfig Config(Func<HftConfig, HftConfig>? edit = null)
    {
        var config = ConfigLoader.Load("development", null, new Dictionary<string, string?>());
        config = config with { Monitoring = config.Monitoring with { MetricsPort = 0 }, Gateway = config.Gateway with { BinaryEnabled = false, FixEnabled = false } };
        config = config with { Feed = config.Feed with { Enabled = false } }; // the mock feed moves marks: tests that want it turn it on
        return edit is null ? config : edit(config);
    }

    public static async Task<MetricsServerFixture> StartAsync(Func<HftConfig, HftConfig>? edit = null)
    {
        var server = TradingNode.Create(Config(edit), logging: _ => { });
        await server.StartAsync();
        var http = new HttpClient { BaseAddress = new Uri(server.Urls[0]), Timeout = TimeSpan.FromSeconds(30) };
        return new MetricsServerFixture(server, http);
    }

    /// <summary>Sends a JSON request as the account of <paramref name="token"/>; returns the status and the parsed body.</summary>
    public async Task<(int Status, JsonElement Body)> SendAsync(HttpMethod method, string path, string? token, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null) request.Content = JsonContent.Create(body);
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var json = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        return ((int)response.StatusCode, json);
    }

    /// <summary>POST /api/v1/orders with a limit order; returns the status and body.</summary>
    public Task<(int Status, JsonElement Body)> PlaceLimitAsync(string token, string symbol, string side, string price, string qty)
        => SendAsync(HttpMethod.Post, "/api/v1/orders", token, new { symbol, side, type = "limit", price, qty });

    public async Task<string> GetTextAsync(string path, string? token = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>An anonymous scrape of the shared development port (no per-account series).</summary>
    public async Task<PrometheusText> ScrapeAsync() => PrometheusText.Parse(await GetTextAsync("/metrics"));

    /// <summary>A scrape with the ops token: the operator's view, per-account series included.</summary>
    public async Task<PrometheusText> OperatorScrapeAsync() => PrometheusText.Parse(await GetTextAsync("/metrics", OpsToken));

    /// <summary>
    /// Scrapes until <paramref name="ready"/> holds (at most 5 s): the order latency of a command is recorded when the
    /// outbox releases its record, on the releasing thread, possibly just after its REST answer went out.
    /// </summary>
    public async Task<PrometheusText> ScrapeUntilAsync(Func<PrometheusText, bool> ready)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var m = await ScrapeAsync();
            if (ready(m) || clock.Elapsed > TimeSpan.FromSeconds(5)) return m;
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.StopAsync();
        await Server.DisposeAsync();
    }
}

/// <summary>One sample of the Prometheus text exposition format.</summary>
public sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

/// <summary>A minimal parser of the Prometheus text format (0.0.4): # TYPE lines and samples with labels.</summary>
public sealed class PrometheusText
{
    private PrometheusText(Dictionary<string, string> types, List<PrometheusSample> samples)
    {
        Types = types;
        Samples = samples;
    }

    /// <summary>Family name → type (counter, gauge, histogram, ...).</summary>
    public IReadOnlyDictionary<string, string> Types { get; }

    public IReadOnlyList<PrometheusSample> Samples { get; }

    public static PrometheusText Parse(string text)
    {
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        var samples = new List<PrometheusSample>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0) continue;
            if (line.StartsWith('#'))
            {
                var parts = line.Split(' ', 4);
                if (parts.Length >= 4 && parts[1] == "TYPE") types[parts[2]] = parts[3].Trim();
                continue;
            }
            samples.Add(ParseSample(line));
        }
        return new PrometheusText(types, samples);
    }

    private static PrometheusSample ParseSample(string line)
    {
        int i = 0;
        while (i < line.Length && line[i] != '{' && line[i] != ' ') i++;
        string name = line[..i];
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (i < line.Length && line[i] == '{')
        {
            i++;
            while (line[i] != '}')
            {
                int eq = line.IndexOf('=', i);
                string key = line[i..eq].Trim(',', ' ');
                i = eq + 2; // past ="
                var value = new StringBuilder();
                while (line[i] != '"')
                {
                    if (line[i] == '\\')
                    {
                        i++;
                        value.Append(line[i] == 'n' ? '\n' : line[i]);
                    }
                    else
                    {
                        value.Append(line[i]);
                    }
                    i++;
                }
                i++; // closing quote
                labels[key] = value.ToString();
                if (line[i] == ',') i++;
            }
            i++; // }
        }
        var rest = line[i..].Trim().Split(' ');
        double v = rest[0] switch
        {
            "+Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            "NaN" => double.NaN,
            var s => double.Parse(s, CultureInfo.InvariantCulture),
        };
        return new PrometheusSample(name, labels, v);
    }

    /// <summary>Samples named <paramref name="name"/> whose labels include every given pair.</summary>
    public IEnumerable<PrometheusSample> Find(string name, params (string Key, string Value)[] labels)
        => Samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Key, out var v) && v == l.Value));

    /// <summary>The value of the one sample matching (fails when none or several match).</summary>
    public double Value(string name, params (string Key, string Value)[] labels)
    {
        var found = Find(name, labels).ToList();
        if (found.Count != 1)
            throw new Xunit.Sdk.XunitException($"expected one sample {name}{{{string.Join(",", labels.Select(l => $"{l.Key}={l.Value}"))}}}, found {found.Count}");
        return found[0].Value;
    }

    /// <summary>Sum over the matching samples (0 when none).</summary>
    public double Sum(string name, params (string Key, string Value)[] labels) => Find(name, labels).Sum(s => s.Value);
}
