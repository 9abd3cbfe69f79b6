namespace Hft.WebConsole;

/// <summary>One file of the console as it is served: its bytes, content type and entity tag.</summary>
public sealed record ConsoleAsset(string Path, byte[] Content, string ContentType, string ETag);
