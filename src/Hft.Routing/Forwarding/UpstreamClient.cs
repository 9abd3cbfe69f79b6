using System.Net;
using Hft.Routing.Leadership;

namespace Hft.Routing.Forwarding;

/// <summary>How an upstream exchange ended before any response was relayed.</summary>
public enum UpstreamFailure
{
    /// <summary>A response arrived (any status); its headers are read, the body is still streaming.</summary>
    None,

    /// <summary>No connection could be made (refused, unresolvable, TLS failed): nothing was sent, a retry is safe.</summary>
    Refused,

    /// <summary>Timeout, reset or a broken response after the request may have been sent: never re-sent.</summary>
    Failed,

    /// <summary>The client went away.</summary>
    ClientGone,
}

public readonly record struct UpstreamAnswer(UpstreamFailure Failure, HttpResponseMessage? Response, string? Problem);

/// <summary>
/// Sends forwarded requests to hft nodes over one pooled <see cref="HttpClient"/> (no proxy, no redirects, no cookies,
/// no decompression: bytes pass through) and classifies failures by whether a retry could execute the request twice.
/// </summary>
public sealed class UpstreamClient : IDisposable
{
    private readonly HttpClient _http;

    public UpstreamClient(TimeSpan connectTimeout)
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = false, AllowAutoRedirect = false, UseCookies = false, AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = connectTimeout, PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60), MaxConnectionsPerServer = 1024,
            ActivityHeadersPropagator = null,
        };
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <param name="node">The group member to send to.</param>
    /// <param name="request">The client's request as it is forwarded.</param>
    /// <param name="deadline">The request's budget (request_timeout_ms).</param>
    /// <param name="clientGone">The client's RequestAborted.</param>
    public async Task<UpstreamAnswer> SendAsync(NodeState node, ForwardRequest request, CancellationToken deadline, CancellationToken clientGone)
    {
        using var message = request.ToMessage(node.BaseUri);
        using var both = CancellationTokenSource.CreateLinkedTokenSource(deadline, clientGone);
        try
        {
            var response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, both.Token);
            return new UpstreamAnswer(UpstreamFailure.None, response, null);
        }
        catch (OperationCanceledException) when (clientGone.IsCancellationRequested)
        {
            return new UpstreamAnswer(UpstreamFailure.ClientGone, null, "client went away");
        }
        catch (OperationCanceledException)
        {
            return new UpstreamAnswer(UpstreamFailure.Failed, null, $"no answer from {node.Name} in time");
        }
        catch (HttpRequestException e) when (e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError
                                                 or HttpRequestError.SecureConnectionError)
        {
            return new UpstreamAnswer(UpstreamFailure.Refused, null, $"{node.Name}: {e.Message}");
        }
        catch (HttpRequestException e)
        {
            return new UpstreamAnswer(UpstreamFailure.Failed, null, $"{node.Name}: {e.Message}");
        }
    }

    public void Dispose() => _http.Dispose();
}
