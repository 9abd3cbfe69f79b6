using Hft.Tools.Loadgen;

namespace Hft.Tools.Tests;

/// <summary>loadgen's --tls and --ca-file: parsed, checked, and turned into the client options every connection uses.</summary>
public class LoadgenTlsOptionsTests
{
    [Fact]
    public void Without_tls_the_connections_are_plain()
    {
        var o = LoadgenOptions.Parse(["--protocol", "fix"], out _)!;
        Assert.False(o.Tls);
        Assert.Null(LoadgenTls.Client(o));
    }

    [Fact]
    public void Tls_checks_the_server_against_the_host_dialled()
    {
        var o = LoadgenOptions.Parse(["--tls", "--host", "localhost"], out string error);
        Assert.True(o is not null, error);
        var tls = LoadgenTls.Client(o);
        Assert.NotNull(tls);
        Assert.Equal("localhost", tls.TargetHost);
        Assert.NotNull(tls.RemoteCertificateValidationCallback);
    }

    [Fact]
    public void A_ca_file_implies_tls_and_must_exist()
    {
        Assert.Null(LoadgenOptions.Parse(["--ca-file", "/nonexistent/ca.pem"], out string error));
        Assert.Contains("--ca-file", error);

        string ca = Path.GetTempFileName();
        try
        {
            var o = LoadgenOptions.Parse(["--protocol", "binary", "--ca-file", ca], out error);
            Assert.True(o is not null, error);
            Assert.True(o.Tls);
            Assert.Equal(ca, o.CaFile);
        }
        finally
        {
            File.Delete(ca);
        }
    }

    [Fact]
    public void Tls_is_refused_for_rest_which_takes_an_https_url()
    {
        Assert.Null(LoadgenOptions.Parse(["--protocol", "rest", "--tls"], out string error));
        Assert.Contains("https", error);
    }

    [Fact]
    public void The_usage_text_documents_both_options()
    {
        Assert.Contains("--tls", LoadgenOptions.Usage);
        Assert.Contains("--ca-file PATH", LoadgenOptions.Usage);
    }
}
