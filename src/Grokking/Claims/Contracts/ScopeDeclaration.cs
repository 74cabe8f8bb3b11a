using System.Text.Json.Serialization;

namespace Grokking.Claims.Contracts;

/// <summary>
/// Claim-file key <c>scope</c>: <c>{"kind": "universal" | "typical", "reason": "..."}</c>, the reason taken from the
/// paper's words and written before the run.
/// </summary>
public sealed class ScopeDeclaration
{
    public string Kind { get; set; } = "";

    public string Reason { get; set; } = "";

    /// <summary>The kind as the enum; <see cref="TryParse"/> is what the loader checks.</summary>
    [JsonIgnore]
    public ClaimScope Scope => TryParse(Kind, out var scope) ? scope : throw new InvalidOperationException($"unknown scope '{Kind}'");

    public static bool TryParse(string kind, out ClaimScope scope)
    {
        scope = kind switch
        {
            "universal" => ClaimScope.Universal,
            "typical" => ClaimScope.Typical,
            _ => (ClaimScope)(-1),
        };
        return Enum.IsDefined(scope);
    }

    public static string NameOf(ClaimScope scope) => scope == ClaimScope.Universal ? "universal" : "typical";
}
