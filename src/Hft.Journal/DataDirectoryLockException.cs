namespace Hft.Journal;

/// <summary>
/// A data directory could not be locked: another holder has it (<see cref="Held"/>; the message names the holder), or
/// the lock could not be taken or would not be in force. The message is one line naming the directory.
/// </summary>
public sealed class DataDirectoryLockException : IOException
{
    public DataDirectoryLockException(string message, string directory, bool held, Exception? inner = null) : base(message, inner)
    {
        Directory = directory;
        Held = held;
    }

    /// <summary>The directory, as a full path.</summary>
    public string Directory { get; }

    /// <summary>True when another holder (a running server, a restore) has the lock; false when it cannot be taken at all.</summary>
    public bool Held { get; }
}
