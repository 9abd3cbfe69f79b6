using System.Reflection;

namespace Hft.Tests.Shared;

/// <summary>
/// xunit 2 ends a test class, a class fixture and a collection fixture through <see cref="IAsyncLifetime"/> or
/// <see cref="IDisposable"/> only: an <see cref="IAsyncDisposable.DisposeAsync"/> alone is never called, and the nodes,
/// ports and temporary directories the class started stay behind. Compiled into every test project
/// (tests/Directory.Build.props).
/// </summary>
public sealed class TestClassDisposalTests
{
    [Fact]
    public void Every_test_class_and_fixture_that_disposes_asynchronously_is_disposed_by_xunit()
    {
        var never = new List<string>();
        foreach (var type in TestClassesAndFixtures(typeof(TestClassDisposalTests).Assembly))
            if (NeverDisposedByXunit(type)) never.Add(type.FullName!);
        Assert.True(never.Count == 0,
            "xunit 2 never calls IAsyncDisposable.DisposeAsync: implement IAsyncLifetime (or IDisposable) in " + string.Join(", ", never));
    }

    [Fact]
    public void The_rule_refuses_only_async_disposal_without_a_lifetime_xunit_calls()
    {
        Assert.True(NeverDisposedByXunit(typeof(OnlyAsyncDisposable)));
        Assert.False(NeverDisposedByXunit(typeof(AsyncLifetime)));
        Assert.False(NeverDisposedByXunit(typeof(BothDisposable)));
        Assert.False(NeverDisposedByXunit(typeof(TestClassDisposalTests)));
    }

    private static bool NeverDisposedByXunit(Type type)
        => typeof(IAsyncDisposable).IsAssignableFrom(type)
           && !typeof(IAsyncLifetime).IsAssignableFrom(type)
           && !typeof(IDisposable).IsAssignableFrom(type);

    /// <summary>Concrete classes with a [Fact] or [Theory] (or a derived attribute), and the fixtures classes ask for.</summary>
    private static HashSet<Type> TestClassesAndFixtures(Assembly assembly)
    {
        var found = new HashSet<Type>();
        foreach (var type in assembly.GetTypes())
        {
            if (!type.IsAbstract && HasTests(type)) found.Add(type);
            foreach (var contract in type.GetInterfaces())
            {
                if (!contract.IsGenericType) continue;
                var definition = contract.GetGenericTypeDefinition();
                if (definition == typeof(IClassFixture<>) || definition == typeof(ICollectionFixture<>))
                    found.Add(contract.GetGenericArguments()[0]);
            }
        }
        return found;
    }

    private static bool HasTests(Type type)
    {
        foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static))
            if (method.IsDefined(typeof(FactAttribute), inherit: true)) return true;
        return false;
    }

    private sealed class OnlyAsyncDisposable : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private sealed class AsyncLifetime : IAsyncLifetime
    {
        public Task InitializeAsync() => Task.CompletedTask;

        public Task DisposeAsync() => Task.CompletedTask;
    }

    private sealed class BothDisposable : IAsyncDisposable, IDisposable
    {
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;

        public void Dispose()
        {
        }
    }
}
