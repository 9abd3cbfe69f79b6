namespace Hft.Client.Rest;

/// <summary>The CA file of <see cref="HftRestClientOptions.CaFile"/> does not load: the client cannot be built.</summary>
public sealed class CaFileException(string caFile, string reason) : Exception($"cannot load CA file {caFile}: {reason}")
{
    public string CaFile { get; } = caFile;

    public string Reason { get; } = reason;
}
