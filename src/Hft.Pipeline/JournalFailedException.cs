namespace Hft.Pipeline;

/// <summary>The journal could not make a command durable: it must not be acknowledged (REST answers 503 journal_failed).</summary>
public sealed class JournalFailedException() : Exception("the journal failed; the command was not made durable");
