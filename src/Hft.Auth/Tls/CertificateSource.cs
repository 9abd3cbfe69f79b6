using Hft.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hft.Auth.Tls;

/// <summary>
/// The node's TLS material from [tls]: loaded at start-up (a bad file stops the start with one line), then checked for
/// a change at most every reload_check_seconds when a handshake asks for it. A changed pair serves new connections at
/// once; open connections keep theirs. A pair that does not load (e.g. the certificate replaced before its key) keeps
/// the previous one and is tried again at the next check: rotating is copying the new files in place.
/// </summary>
public sealed class CertificateSource
{
    private readonly string _certFile, _keyFile;
    private readonly string? _caFile;
    private readonly long _checkTicks;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly TlsMetrics? _metrics;
    private readonly object _gate = new();
    private TlsMaterial _current;
    private TlsFileStamp _stamp;
    private long _nextCheck;

    public CertificateSource(string certFile, string keyFile, string? caFile, TimeSpan checkEvery,
        TimeProvider? time = null, ILogger? log = null, TlsMetrics? metrics = null)
    {
        _certFile = certFile;
        _keyFile = keyFile;
        _caFile = caFile;
        _time = time ?? TimeProvider.System;
        _checkTicks = (long)(checkEvery.TotalSeconds * _time.TimestampFrequency);
        _log = log ?? NullLogger.Instance;
        _metrics = metrics;
        _stamp = TlsFileStamp.Of(certFile, keyFile, caFile);
        _current = TlsMaterial.Load(certFile, keyFile, caFile);
        _nextCheck = _time.GetTimestamp() + _checkTicks;
        _metrics?.Loaded(_current);
    }

    /// <summary>The source for [tls], or null when no listener turns TLS on.</summary>
    public static CertificateSource? From(TlsConfig tls, TimeProvider? time = null, ILogger? log = null, TlsMetrics? metrics = null)
        => tls.AnyListener
            ? new CertificateSource(tls.CertFile!, tls.KeyFile!, tls.CaFile, TimeSpan.FromSeconds(tls.ReloadCheckSeconds), time, log, metrics)
            : null;

    /// <summary>The material for a handshake starting now.</summary>
    public TlsMaterial Current
    {
        get
        {
            if (_time.GetTimestamp() >= Volatile.Read(ref _nextCheck)) ReloadIfChanged();
            return Volatile.Read(ref _current);
        }
    }

    /// <summary>Times a changed pair was loaded since start-up.</summary>
    public int Reloads { get; private set; }

    private void ReloadIfChanged()
    {
        lock (_gate)
        {
            long now = _time.GetTimestamp();
            if (now < _nextCheck) return;
            _nextCheck = now + _checkTicks;
            var stamp = TlsFileStamp.Of(_certFile, _keyFile, _caFile);
            if (stamp == _stamp) return;
            try
            {
                var material = TlsMaterial.Load(_certFile, _keyFile, _caFile);
                Volatile.Write(ref _current, material);
                _stamp = stamp;
                Reloads++;
                _metrics?.Loaded(material);
                _log.LogInformation("tls: loaded {File} (subject {Subject}, valid until {NotAfter:u})", _certFile, material.Certificate.Subject, material.Certificate.NotAfter.ToUniversalTime());
            }
            catch (TlsFileException e)
            {
                _metrics?.ReloadFailed();
                _log.LogWarning("tls: {Problem}; the previous certificate stays in use", e.Message);
            }
        }
    }
}
