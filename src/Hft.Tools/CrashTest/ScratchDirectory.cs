namespace Hft.Tools.CrashTest;

/// <summary>The temporary directory a crash test keeps its data directories, logs and FIX stores in.</summary>
internal static class ScratchDirectory
{
    /// <summary>Deletes it, or with <c>--keep</c> says where it stays; a file still held open is left behind.</summary>
    public static void Release(string root, bool keep, TextWriter stdout)
    {
        if (keep)
        {
            stdout.WriteLine($"crashtest: data kept in {root}");
            return;
        }
        try { Directory.Delete(root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
