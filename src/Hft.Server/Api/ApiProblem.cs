using Microsoft.AspNetCore.Http;

namespace Hft.Server.Api;

/// <summary>A refusal not yet sent: its status, error code and message (admin endpoints audit it before answering).</summary>
public sealed record ApiProblem(int Status, string Code, string Message)
{
    public IResult ToResult() => ApiError.Result(Status, Code, Message);
}
