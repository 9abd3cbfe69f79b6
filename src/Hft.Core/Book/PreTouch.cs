namespace Hft.Core.Book;

/// <summary>
/// Writes over a freshly allocated array once, at set-up. A large new array is backed by pages the OS has
/// not mapped yet; without this, the first write to each 4 KiB page happens on the hot path and costs a
/// page fault (microseconds) there. Contents are unchanged (the array is all zeros either way).
/// </summary>
internal static class PreTouch
{
    public static T[] Touch<T>(T[] array)
    {
        Array.Clear(array);
        return array;
    }
}
