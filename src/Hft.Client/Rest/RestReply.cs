using System.Globalization;
using System.Text.Json;

namespace Hft.Client.Rest;

/// <summary>Why a request got no HTTP answer at all.</summary>
public enum RestFailure
{
    /// <summary>An HTTP answer came (whatever its status).</summary>
    None,

    /// <summary>No answer within the client's timeout.</summary>
    Timeout,

    /// <summary>The connection was refused, reset or closed before an answer came.</summary>
    Connection,
}

/// <summary>
/// One answer of the server: its status and body (parsed when it is JSON). <see cref="Status"/> 0 means no answer at all;
/// <see cref="Failure"/> says why and <see cref="Text"/> holds the transport's message.
/// </summary>
public readonly record struct RestReply(int Status, JsonElement Body, string Text, RestFailure Failure = RestFailure.None)
{
    public bool Answered => Status != 0;

    public bool Ok => Status is >= 200 and < 300;

    /// <summary>4xx: the server decided and changed nothing (rejections are never journaled).</summary>
    public bool Refused => Status is >= 400 and < 500;

    /// <summary>A string property of a JSON object body; "" when absent.</summary>
    public string Str(string name) => Body.ValueKind == JsonValueKind.Object && Body.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
        ? v.GetString()!
        : "";

    /// <summary>A decimal sent as text (prices, quantities).</summary>
    public decimal Dec(string name) => decimal.Parse(Str(name), CultureInfo.InvariantCulture);

    /// <summary>The API's error code (<c>{"error":{"code":...}}</c>), else <c>http_STATUS</c>.</summary>
    public string ErrorCode => Body.ValueKind == JsonValueKind.Object && Body.TryGetProperty("error", out var error)
        && error.ValueKind == JsonValueKind.Object && error.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String
            ? code.GetString()!
            : "http_" + Status.ToString(CultureInfo.InvariantCulture);
}
