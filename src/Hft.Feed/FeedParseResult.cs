namespace Hft.Feed;

/// <summary>What became of one feed message. Everything but <see cref="Price"/> and <see cref="Ignored"/> is counted as rejected.</summary>
public enum FeedParseResult : byte
{
    /// <summary>A price was delivered.</summary>
    Price = 0,

    /// <summary>Well-formed but not a price (subscription confirmation, heartbeat, other channel).</summary>
    Ignored = 1,

    BadJson = 2,
    MissingField = 3,
    UnknownProduct = 4,
    BadPrice = 5,
    NotPositive = 6,
    TooLarge = 7,
    Crossed = 8,
    NotText = 9,
}

public static class FeedParseResults
{
    private static readonly string[] s_labels =
        ["price", "ignored", "bad_json", "missing_field", "unknown_product", "bad_price", "not_positive", "too_large", "crossed", "not_text"];

    /// <summary>The metric label (snake_case).</summary>
    public static string Label(this FeedParseResult r) => s_labels[(int)r];

    public static int Count => s_labels.Length;
}
