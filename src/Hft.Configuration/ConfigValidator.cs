namespace Hft.Configuration;

/// <summary>
/// Runs once every section is bound and throws the first problem: section by section, the section's own rules (its
/// Validate, in its file) and then the rules here that relate it to other sections; last, the production hardening
/// rules. Types and ranges of single keys were checked while binding (<see cref="SectionReader"/>).
/// </summary>
internal static class ConfigValidator
{
    public static void Validate(HftConfig c, BindContext ctx)
    {
        c.Trading.Validate(ctx);
        c.Risk.Validate(ctx);
        AccountConfig.ValidateAll(c.Accounts, ctx);
        c.Server.Validate(ctx);
        c.Monitoring.Validate(ctx);
        c.Auth.Validate(ctx);
        ApiKeyAccountsExist(c, ctx);
        c.Journal.Validate(ctx);
        c.Feed.Validate(ctx);
        FeedSymbolsAreInstruments(c, ctx);
        c.Gateway.Validate(ctx);
        GatewayPortsAndAccounts(c, ctx);
        c.Replication.Validate(ctx);
        ReplicationHasJournal(c, ctx);
        c.Dr.Validate(ctx, c);
        c.MarketData.Validate(ctx);
        c.Tls.Validate(ctx);
        if (c.Profile == "production") Production(c, ctx);
    }

    /// <summary>The symbols the mock feed walks: the mapping when given, else every enabled symbol.</summary>
    internal static IEnumerable<string> MockSymbols(HftConfig c)
        => c.Feed.Symbols.Count > 0 ? c.Feed.Symbols.Select(x => x.Symbol) : c.Trading.EnabledSymbols;

    private static void ApiKeyAccountsExist(HftConfig c, BindContext ctx)
    {
        var ids = new HashSet<string>(c.Accounts.Select(a => a.Id), StringComparer.Ordinal);
        for (int i = 0; i < c.Auth.ApiKeys.Count; i++)
        {
            var account = c.Auth.ApiKeys[i].Account;
            if (!ids.Contains(account))
                throw ctx.Error($"auth.api_keys[{i}]", "account", $"unknown account \"{account}\" {DefinedNames.Hint(c.Accounts.Select(a => a.Id))}");
        }
    }

    private static void FeedSymbolsAreInstruments(HftConfig c, BindContext ctx)
    {
        var instruments = c.Trading.Instruments.ToDictionary(i => i.Symbol, StringComparer.Ordinal);
        for (int i = 0; i < c.Feed.Symbols.Count; i++)
        {
            var symbol = c.Feed.Symbols[i].Symbol;
            if (!instruments.ContainsKey(symbol))
                throw ctx.Error($"feed.symbols[{i}]", "symbol", $"\"{symbol}\" has no [[trading.instruments]] entry {DefinedNames.Hint(instruments.Keys)}");
        }

        if (c.Feed.Adapter == "mock" && c.Feed.Enabled)
        {
            foreach (var symbol in MockSymbols(c))
                if (instruments[symbol].MarkPrice is null)
                    throw ctx.Error("feed", "adapter", $"mock needs a starting price: set mark_price of instrument {symbol}");
        }
    }

    private static void GatewayPortsAndAccounts(HftConfig c, BindContext ctx)
    {
        var g = c.Gateway;
        foreach (var (name, enabled, port) in new[] { ("binary_port", g.BinaryEnabled, g.BinaryPort), ("fix_port", g.FixEnabled, g.FixPort) })
            if (enabled && port != 0 && (port == c.Monitoring.MetricsPort || port == c.Server.HttpPort))
                throw ctx.Error("gateway", name, $"must differ from the HTTP ports, got {port}");
        for (int i = 0; i < g.FixSessions.Count; i++)
        {
            var account = g.FixSessions[i].Account;
            if (!c.Accounts.Any(a => a.Id == account))
                throw ctx.Error($"gateway.fix_sessions[{i}]", "account", $"names no [[accounts]] entry: \"{account}\"");
        }
    }

    private static void ReplicationHasJournal(HftConfig c, BindContext ctx)
    {
        if (c.Replication.Enabled && c.Journal.Mode == "none")
            throw ctx.Error("replication", "enabled", "needs [journal] mode sync or async: every node keeps the committed journal");
    }

    private static void Production(HftConfig c, BindContext ctx)
    {
        if (!c.Auth.Enabled) throw ctx.Error("auth", "enabled", "must be true in production");
        if (c.Auth.IsDevelopmentSecret)
            throw ctx.Error("auth", "secret", "the development secret is refused in production: set HFT_AUTH__SECRET to a secret of your own");
        if (c.Journal.Mode == "none")
            throw ctx.Error("journal", "mode", "must be sync or async in production, got \"none\"");
        if (c.Server.SharesOperationsPort(c.Monitoring))
            throw ctx.Error("server", "http_port",
                $"must be a port of its own in production (not 0, not metrics_port {c.Monitoring.MetricsPort}): the API port never serves /metrics and /debug");
        var feed = c.Feed;
        if (feed.Enabled && feed.IsRemote && Uri.TryCreate(feed.Url, UriKind.Absolute, out var url) && url.Scheme != "wss")
            throw ctx.Error("feed", "url", $"must be wss:// (TLS) in production, got \"{feed.Url}\"");
        if (!c.Tls.AllowPlaintext) ProductionEncrypts(c, ctx);
    }

    /// <summary>Production: every connection is encrypted unless [tls] allow_plaintext says otherwise.</summary>
    private static void ProductionEncrypts(HftConfig c, BindContext ctx)
    {
        const string unless = "in production (or set [tls] allow_plaintext = true, e.g. behind a TLS-terminating proxy)";
        if (!c.Tls.Http) throw ctx.Error("tls", "http", "must be true " + unless);
        if (c.Gateway.BinaryEnabled && !c.Tls.Binary) throw ctx.Error("tls", "binary", "must be true when the binary gateway is enabled " + unless);
        if (c.Gateway.FixEnabled && !c.Tls.Fix) throw ctx.Error("tls", "fix", "must be true when the FIX acceptor is enabled " + unless);
        if (c.Replication.Enabled && !c.Tls.Raft) throw ctx.Error("tls", "raft", "must be true when replication is enabled " + unless);
        foreach (var source in c.Dr.Enabled ? c.Dr.Sources : [])
            if (!source.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
                throw ctx.Error("dr", "sources", $"must be https:// (TLS) {unless}, got \"{source}\"");
        if (c.Redis.Connection is { Length: > 0 } redis && !StackExchange.Redis.ConfigurationOptions.Parse(redis).Ssl)
            throw ctx.Error("redis", "connection", "must use TLS (ssl=true) " + unless);
    }
}
