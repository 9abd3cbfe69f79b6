using Hft.Client.Rest;

namespace Hft.Cli.Commands;

/// <summary>
/// The REST client a command talks to a running server with (<c>--url</c>, a token, <c>--ca-file PATH</c>): an https
/// server's certificate must chain to those PEM authorities and name the host dialled; without it the system trust
/// store decides.
/// </summary>
internal static class ServerClient
{
    /// <summary>
    /// The client, or null with the reason printed and <paramref name="exit"/> set: 2 when the CA file does not load,
    /// 1 when the URL is not one.
    /// </summary>
    public static HftRestClient? Open(string command, string url, string token, string? caFile, TimeSpan timeout, TextWriter stderr, out int exit)
    {
        exit = 0;
        try
        {
            return new HftRestClient(new HftRestClientOptions(new Uri(url)) { Token = token, CaFile = caFile, Timeout = timeout });
        }
        catch (CaFileException e)
        {
            stderr.WriteLine($"hft {command}: cannot load --ca-file {e.CaFile}: {e.Reason}");
            exit = 2;
        }
        catch (UriFormatException e)
        {
            stderr.WriteLine($"hft {command}: could not ask {url}: {e.Message}");
            exit = 1;
        }
        return null;
    }

    /// <summary>
    /// The server's 2xx answer to <paramref name="request"/>; null with the reason printed when it answered otherwise
    /// (<paramref name="refusal"/>: status and body) or not at all.
    /// </summary>
    public static RestReply? Ask(string command, string url, Task<RestReply> request, string what, string refusal, TextWriter stderr)
    {
        var reply = request.GetAwaiter().GetResult();
        if (!reply.Answered) stderr.WriteLine($"hft {command}: could not ask {url}{what}: {reply.Text}");
        else if (!reply.Ok) stderr.WriteLine($"hft {command}: {refusal}: {reply.Status} {reply.Text}");
        else return reply;
        return null;
    }
}
