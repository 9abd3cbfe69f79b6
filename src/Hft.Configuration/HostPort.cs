namespace Hft.Configuration;

/// <summary>The one reading of a <c>host:port</c> endpoint text (the port after the last colon, 1..65535).</summary>
public static class HostPort
{
    public static bool TryParse(string text, out string host, out int port)
    {
        int colon = text.LastIndexOf(':');
        host = colon > 0 ? text[..colon] : "";
        port = 0;
        return colon > 0 && int.TryParse(text.AsSpan(colon + 1), out port) && port is >= 1 and <= 65_535;
    }
}
