namespace Grokking.Runtime;

public sealed record CompatibilityDecision(CompatibilityAction Action, IReadOnlyList<string> MissingVersions)
{
    public string Describe() => Action switch
    {
        CompatibilityAction.None => "not needed (host libstdc++ provides every required version)",
        CompatibilityAction.Shim => $"active (host libstdc++ lacks {string.Join(", ", MissingVersions)})",
        _ => $"impossible (host libstdc++ lacks {string.Join(", ", MissingVersions)}; upgrade libstdc++ to GCC 13 or newer)",
    };
}
