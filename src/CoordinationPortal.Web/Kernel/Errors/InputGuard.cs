using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace CoordinationPortal.Web.Kernel.Errors;

/// <summary>
/// Turns away, before any feature sees it, input the portal cannot store or that no record can match: control
/// characters (a NUL above all, which PostgreSQL's text and jsonb refuse) in the path, the route values, the query
/// string, URL-encoded form fields or any JSON string or property name; an all-zero GUID as an id in the route (404: nothing has that
/// id); a JSON body in a charset other than UTF-8, or one larger than <see cref="MaxJsonBytes"/>. Form fields and JSON
/// strings may hold tabs and line breaks (notes are typed in text areas); the path and the query string may not. The
/// API answers ProblemDetails naming the field; a page gets a plain page (400) or the not-found page (404).
/// </summary>
public sealed class InputGuard(RequestDelegate next)
{
    /// <summary>No JSON body the API takes comes near this; a larger one is refused before it is parsed twice.</summary>
    public const int MaxJsonBytes = 1024 * 1024;

    private sealed record Fault(int Status, string Field, string MessageKey);

    public async Task InvokeAsync(HttpContext http)
    {
        var fault = CheckPathAndQuery(http) ?? await CheckBodyAsync(http);
        if (fault is null)
        {
            await next(http);
            return;
        }

        await RejectAsync(http, fault);
    }

    private static Fault? CheckPathAndQuery(HttpContext http)
    {
        if (HasControl(http.Request.Path.Value, allowLineBreaks: false))
        {
            return new Fault(StatusCodes.Status400BadRequest, "path", "Errors.Input.ControlCharacters");
        }

        foreach (var (name, value) in http.Request.RouteValues)
        {
            if (value is not string text)
            {
                continue;
            }

            if (HasControl(text, allowLineBreaks: false))
            {
                return new Fault(StatusCodes.Status400BadRequest, name, "Errors.Input.ControlCharacters");
            }

            if (Guid.TryParse(text, out var id) && id == Guid.Empty)
            {
                return new Fault(StatusCodes.Status404NotFound, name, "Errors.Input.EmptyId");
            }
        }

        foreach (var (name, values) in http.Request.Query)
        {
            if (HasControl(name, allowLineBreaks: false))
            {
                return new Fault(StatusCodes.Status400BadRequest, "query", "Errors.Input.ControlCharacters");
            }

            foreach (var value in values)
            {
                if (HasControl(value, allowLineBreaks: false))
                {
                    return new Fault(StatusCodes.Status400BadRequest, name, "Errors.Input.ControlCharacters");
                }
            }
        }

        return null;
    }

    private static async Task<Fault?> CheckBodyAsync(HttpContext http)
    {
        var request = http.Request;
        if (request.ContentType is null || !MediaTypeHeaderValue.TryParse(request.ContentType, out var type))
        {
            return null;
        }

        if (IsJson(type))
        {
            return await CheckJsonAsync(http, type);
        }

        if (type.MediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            return await CheckFormAsync(http);
        }

        return null;
    }

    private static bool IsJson(MediaTypeHeaderValue type) =>
        type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
        || type.MediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase);

    private static async Task<Fault?> CheckJsonAsync(HttpContext http, MediaTypeHeaderValue type)
    {
        var charset = type.Charset.HasValue ? type.Charset.Value!.Trim('"') : null;
        if (charset is not null && !charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) && !charset.Equals("utf8", StringComparison.OrdinalIgnoreCase))
        {
            return new Fault(StatusCodes.Status400BadRequest, "Content-Type", "Errors.Input.Charset");
        }

        if (charset is not null)
        {
            // The JSON reader fails on a quoted or otherwise unusual spelling of UTF-8: hand it the plain one.
            http.Request.ContentType = type.MediaType.Value + "; charset=utf-8";
        }

        if (http.Request.ContentLength is > MaxJsonBytes)
        {
            return new Fault(StatusCodes.Status413PayloadTooLarge, "body", "Errors.Input.TooLarge");
        }

        // Read once, check, and hand the same bytes on: the endpoint reads the body again from the start.
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await http.Request.Body.ReadAsync(chunk, http.RequestAborted)) > 0)
        {
            if (buffer.Length + read > MaxJsonBytes)
            {
                return new Fault(StatusCodes.Status413PayloadTooLarge, "body", "Errors.Input.TooLarge");
            }

            buffer.Write(chunk, 0, read);
        }

        var bytes = buffer.ToArray();
        http.Request.Body = new MemoryStream(bytes, writable: false);
        return ScanJson(bytes);
    }

    /// <summary>Every string and property name of the document; a document that is not JSON is left to the endpoint's binding (a 400 of its own).</summary>
    private static Fault? ScanJson(byte[] bytes)
    {
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, MaxDepth = 64 });
        var field = "body";
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.PropertyName))
                {
                    continue;
                }

                string? text;
                try
                {
                    text = reader.GetString();
                }
                catch (InvalidOperationException)
                {
                    // Not valid UTF-8 or a lone surrogate escape: text no database column can hold.
                    return new Fault(StatusCodes.Status400BadRequest, field, "Errors.Input.InvalidText");
                }

                if (reader.TokenType == JsonTokenType.PropertyName)
                {
                    field = text ?? "body";
                }

                if (HasControl(text, allowLineBreaks: true) || HasLoneSurrogate(text))
                {
                    return new Fault(StatusCodes.Status400BadRequest, HasControl(field, false) ? "body" : field, "Errors.Input.ControlCharacters");
                }
            }
        }
        catch (JsonException)
        {
            return null;
        }

        return null;
    }

    /// <summary>
    /// The fields of a URL-encoded form, read from a buffered copy of the body that the endpoint reads again. Read here
    /// rather than through <c>Request.Form</c>, which ASP.NET opens to a page only after its antiforgery check.
    /// </summary>
    private static async Task<Fault?> CheckFormAsync(HttpContext http)
    {
        http.Request.EnableBuffering();
        Dictionary<string, Microsoft.Extensions.Primitives.StringValues> form;
        try
        {
            using var reader = new Microsoft.AspNetCore.WebUtilities.FormReader(http.Request.Body, System.Text.Encoding.UTF8, System.Buffers.ArrayPool<char>.Shared)
            {
                ValueCountLimit = 1024,
                KeyLengthLimit = 2048,
                ValueLengthLimit = 4 * 1024 * 1024,
            };
            form = await reader.ReadFormAsync(http.RequestAborted);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or BadHttpRequestException)
        {
            return new Fault(StatusCodes.Status400BadRequest, "form", "Errors.Input.Form");
        }
        finally
        {
            http.Request.Body.Position = 0;
        }

        foreach (var (name, values) in form)
        {
            if (HasControl(name, allowLineBreaks: false))
            {
                return new Fault(StatusCodes.Status400BadRequest, "form", "Errors.Input.ControlCharacters");
            }

            foreach (var value in values)
            {
                if (HasControl(value, allowLineBreaks: true) || HasLoneSurrogate(value))
                {
                    return new Fault(StatusCodes.Status400BadRequest, name, "Errors.Input.ControlCharacters");
                }
            }
        }

        return null;
    }

    /// <summary>C0 control characters and DEL; with <paramref name="allowLineBreaks"/>, tab, line feed and carriage return are text.</summary>
    public static bool HasControl(string? text, bool allowLineBreaks)
    {
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        foreach (var c in text)
        {
            if ((c < ' ' || c == '\u007f') && !(allowLineBreaks && c is '\t' or '\n' or '\r'))
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasLoneSurrogate(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return true;
            }
        }

        return false;
    }

    private static async Task RejectAsync(HttpContext http, Fault fault)
    {
        if (!StatusPage.IsApi(http))
        {
            if (fault.Status == StatusCodes.Status404NotFound)
            {
                http.Response.StatusCode = fault.Status; // the not-found page, through the status-code pages
                return;
            }

            await StatusPage.WriteAsync(http, fault.Status, "Errors.BadRequest.Title", fault.MessageKey);
            return;
        }

        var message = RequestLanguage.Text(http, fault.MessageKey);
        ProblemDetails problem = fault.Status == StatusCodes.Status400BadRequest
            ? new HttpValidationProblemDetails(new Dictionary<string, string[]> { [fault.Field] = [message] }) { Status = fault.Status, Detail = message }
            : new ProblemDetails { Status = fault.Status, Detail = message };
        await StatusPage.ProblemAsync(http, problem);
    }
}
