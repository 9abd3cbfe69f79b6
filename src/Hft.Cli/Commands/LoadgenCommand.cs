using Hft.Tools.Loadgen;
using Spectre.Console;

namespace Hft.Cli.Commands;

/// <summary><c>hft loadgen</c>: load a running server over the binary protocol (or REST) and report throughput and latency.</summary>
public static class LoadgenCommand
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var options = LoadgenOptions.Parse(args, out var error);
        if (options is null)
        {
            stderr.WriteLine($"hft loadgen: {error}");
            stderr.WriteLine(LoadgenOptions.Usage);
            return 2;
        }
        if (options.Help)
        {
            stdout.WriteLine(LoadgenOptions.Usage);
            return 0;
        }
        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            var runner = new LoadgenRunner(options);
            var run = runner.RunAsync(cancel.Token);
            bool interactive = !options.Json && !Console.IsOutputRedirected && ReferenceEquals(stdout, Console.Out);
            if (interactive) ShowProgress(runner, run, options);
            else
            {
                while (!run.Wait(TimeSpan.FromSeconds(1)))
                {
                    var (s, sent, answered, errors) = runner.Progress();
                    if (s > 0 && !options.Json) stderr.WriteLine($"loadgen: {s:N0} s, {sent:N0} sent, {answered:N0} answered, {errors:N0} errors");
                }
            }
            var report = run.GetAwaiter().GetResult();
            if (options.Json) report.WriteJson(stdout);
            else report.WriteText(stdout);
            return report.Disconnects.Count == 0 ? 0 : 1;
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or HttpRequestException or InvalidOperationException or IOException or Hft.Auth.Tls.TlsFileException)
        {
            stderr.WriteLine($"hft loadgen: {e.Message}");
            return 1;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    private static void ShowProgress(LoadgenRunner runner, Task run, LoadgenOptions options)
    {
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask("connecting", maxValue: 100);
                double lastSeconds = 0;
                long lastAnswered = 0;
                while (!run.Wait(TimeSpan.FromMilliseconds(250)))
                {
                    var (s, sent, answered, errors) = runner.Progress();
                    if (s <= 0) continue;
                    double rate = s - lastSeconds > 0 ? (answered - lastAnswered) / (s - lastSeconds) : 0;
                    (lastSeconds, lastAnswered) = (s, answered);
                    task.Value = Math.Min(100, options.Count > 0 ? 100.0 * sent / options.Count : 100 * s / options.Duration);
                    task.Description = $"{sent:N0} sent, {rate:N0}/s, {errors:N0} errors";
                }
                task.Value = 100;
            });
    }
}
