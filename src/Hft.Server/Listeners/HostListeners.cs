using System.Net;
using Microsoft.AspNetCore.Http;
using Hft.Auth.Tls;
using Hft.Configuration;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

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
    private string _operationsScheme = "http", _apiScheme = "http";

    public HostListeners(ListenerPlan plan) => _plan = plan;

    /// <summary>One port serves the API and operations (development).</summary>
    public bool Shared => _plan.Shared;

    /// <summary>The operations listener's address once started (the API's as well when <see cref="Shared"/>).</summary>
    public Uri OperationsUrl => Url(_operations);

    /// <summary>The API's address once started: its own listener, or the shared one.</summary>
    public Uri ApiUrl => Url(_api ?? _operations);

    /// <summary>
    /// Opens the listeners; with <paramref name="certificates"/>, HTTPS where [tls] says: the API's listener when
    /// <c>http</c>, a separate operations listener when <c>operations</c> (the shared one follows <c>http</c>).
    /// </summary>
    internal void Open(KestrelServerOptions kestrel, IPAddress address, CertificateSource? certificates, TlsConfig tls)
    {
        bool operationsTls = _plan.Shared ? tls.Http : tls.Operations;
        kestrel.Listen(address, _plan.OperationsPort, listen =>
        {
            _operations = listen;
            if (operationsTls) _operationsScheme = UseTls(listen, certificates, tls);
        });
        if (_plan.ApiPort is int api)
            kestrel.Listen(address, api, listen =>
            {
                _api = listen;
                if (tls.Http) _apiScheme = UseTls(listen, certificates, tls);
            });
    }

    private static string UseTls(ListenOptions listen, CertificateSource? certificates, TlsConfig tls)
    {
        var source = certificates ?? throw new InvalidOperationException("[tls] turns HTTPS on but no certificate was loaded");
        var clients = TlsOptions.ClientPolicy(tls);
        listen.UseHttps(new TlsHandshakeCallbackOptions
        {
            OnConnection = _ => ValueTask.FromResult(TlsOptions.Server(source, clients)), // the certificate current at this handshake
            HandshakeTimeout = TimeSpan.FromSeconds(10),
        });
        return "https";
    }

    /// <summary>True for a request that came over the dedicated operations listener (never when <see cref="Shared"/>).</summary>
    public bool OnOperationsListener(HttpContext http) => _api is not null && http.Connection.LocalPort == Bound(_operations).Port;

    private Uri Url(ListenOptions? listen) => new($"{(listen is not null && listen == _api ? _apiScheme : _operationsScheme)}://{Bound(listen)}");

    private static IPEndPoint Bound(ListenOptions? listen)
        => listen?.IPEndPoint ?? throw new InvalidOperationException("the host's listeners are not open yet");
}
