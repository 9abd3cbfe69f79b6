namespace Hft.Auth.Tls;

/// <summary>What tells a changed file: its last write time and length (a Kubernetes secret swap changes both).</summary>
internal readonly record struct TlsFileStamp(long Cert, long Key, long Ca)
{
    public static TlsFileStamp Of(string certFile, string keyFile, string? caFile)
        => new(Stamp(certFile), Stamp(keyFile), caFile is null ? 0 : Stamp(caFile));

    private static long Stamp(string path)
    {
        var info = new FileInfo(path); // follows the symbolic links a mounted secret is made of
        return info.Exists ? info.LastWriteTimeUtc.Ticks ^ (info.Length << 48) : -1;
    }
}
