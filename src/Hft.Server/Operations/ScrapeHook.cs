using Prometheus;

namespace Hft.Server.Operations;

/// <summary>
/// Work run just before each scrape of a registry, detached on <see cref="Dispose"/>. prometheus-net keeps
/// before-collect callbacks in a <c>ConcurrentBag</c> whose per-thread storage stays reachable from the thread that
/// registered them after the registry itself is gone, so a callback that captured a node's metrics would keep the whole
/// node (its engines' order arrays, hundreds of MB) alive after the node stopped. The bag holds only this hook; the
/// hook holds the callback until the host disposes its owner.
/// </summary>
public sealed class ScrapeHook : IDisposable
{
    private Action? _collect;

    private ScrapeHook(Action collect) => _collect = collect;

    public static ScrapeHook Register(CollectorRegistry registry, Action collect)
    {
        var hook = new ScrapeHook(collect);
        registry.AddBeforeCollectCallback(hook.Run);
        return hook;
    }

    private void Run() => Volatile.Read(ref _collect)?.Invoke();

    public void Dispose() => Volatile.Write(ref _collect, null);
}
