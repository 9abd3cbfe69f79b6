using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Hft.WebConsole;

/// <summary>
/// Serves the console: <c>GET /</c> is its page, <c>GET /console/{path}</c> its modules and styles. Only static
/// files - everything the console shows comes from the API with the user's own token, as any other client would.
/// </summary>
public static class ConsoleEndpoints
{
    public static IEndpointConventionBuilder MapConsole(this IEndpointRouteBuilder app, ConsoleAssets? assets = null)
    {
        var files = assets ?? ConsoleAssets.Embedded;
        var group = app.MapGroup("");
        group.MapMethods("/", [HttpMethods.Get, HttpMethods.Head], (HttpContext http) => Serve(http, files, "index.html"));
        group.MapMethods("/console/{**path}", [HttpMethods.Get, HttpMethods.Head], (HttpContext http, string path) => Serve(http, files, path));
        return group;
    }

    /// <summary>True for the console's own paths (its page and files), which are not API traffic.</summary>
    public static bool IsConsolePath(PathString path) => path == "/" || path.StartsWithSegments("/console");

    private static IResult Serve(HttpContext http, ConsoleAssets files, string path)
    {
        if (!files.TryGet(path, out var asset))
            return Results.Json(new { error = new { code = "not_found", message = $"no console file '{path}'" } }, statusCode: StatusCodes.Status404NotFound);
        ConsoleHeaders.Apply(http);
        http.Response.Headers.ETag = asset.ETag;
        if (http.Request.Headers.IfNoneMatch == asset.ETag) return Results.StatusCode(StatusCodes.Status304NotModified);
        return Results.Bytes(asset.Content, asset.ContentType);
    }
}
