namespace Grokking.Claims;

/// <summary>An error that kept a claim from getting a verdict: reported as ERROR, never as a verdict (not INCONCLUSIVE).</summary>
public sealed record ClaimError(string Id, string Message)
{
    /// <summary>The error of a claim whose run or analysis threw: the exception's type and message on one line.</summary>
    public static ClaimError Of(string id, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var lines = exception.Message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        string message = string.Join(' ', lines);
        return new ClaimError(id, $"{exception.GetType().Name}: {message}");
    }
}
