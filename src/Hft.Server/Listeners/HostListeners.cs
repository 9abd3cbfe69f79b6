using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Hft.Server.Listeners;

/// <summary>
/// The host's listeners: opened on Kestrel as a <see cref="ListenerPlan"/> says and, once bound, which one a request
/// came over - told by the local port its connection was accepted on, never by the Host header (the client writes that).
/// </summary>
public sealed class HostListeners
{
    private readonly ListenerPlan _plan;
    private ListenOptions? _operations;
    private ListenOptions? _api;

    public HostListeners(ListenerPlan plan) => _plan = plan;

    /// <summary>One port serves the API and operations (development).</summary>
    public bool Shared => _plan.Shared;

    /// <summary>The operations listener's address once started (the API's as well when <see cref="Shared"/>).</summary>
    public Uri OperationsUrl => Url(_operations);

    /// <summary>The API's address once started: its own listener, or the shared one.</summary>
    public Uri ApiUrl => Url(_api ?? _operations);

    internal void Open(KestrelServerOptions kestrel, IPAddress address)
    {
        kestrel.Listen(address, _plan.OperationsPort, listen => _operations = listen);
        if (_plan.ApiPort is int api) kestrel.Listen(address, api, listen => _api = listen);
    }

    /// <summary>True for a request that came over the dedicated operations listener (never when <see cref="Shared"/>).</summary>
    public bool OnOperationsListener(HttpContext http) => _api is not null && http.Connection.LocalPort == Bound(_operations).Port;

    private static Uri Url(ListenOptions? listen) => new($"http://{Bound(listen)}");

    private static IPEndPoint Bound(ListenOptions? listen)
        => listen?.IPEndPoint ?? throw new InvalidOperationException("the host's listeners are not open yet");
}
