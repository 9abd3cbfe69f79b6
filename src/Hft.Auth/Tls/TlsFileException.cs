namespace Hft.Auth.Tls;

/// <summary>A certificate, key or authority file that cannot be read or does not fit; the message names the file.</summary>
public sealed class TlsFileException(string message, Exception? inner) : Exception(message, inner);
