namespace Grokking.Runtime;

/// <summary>
/// Decides whether libLibTorchSharp.so needs the compatibility shim on this host. Pure: it sees only
/// version names, so it is unit tested with version lists of old and new libstdc++ builds.
/// </summary>
public static class LibStdCxxCompatibility
{
    /// <summary>
    /// Versions whose only symbol TorchSharp uses is provided by native/ios_base_library_init.cpp
    /// (GLIBCXX_3.4.32 brings <c>std::ios_base_library_init()</c>, GCC 13).
    /// </summary>
    public static readonly IReadOnlySet<string> ShimmableVersions = new HashSet<string>(StringComparer.Ordinal) { "GLIBCXX_3.4.32" };

    /// <param name="required">Versions the library asks of libstdc++ (its <c>.gnu.version_r</c> entries for libstdc++.so.6).</param>
    /// <param name="provided">Versions the host's libstdc++ defines (its <c>.gnu.version_d</c>).</param>
    public static CompatibilityDecision Decide(IEnumerable<string> required, IEnumerable<string> provided)
    {
        var have = new HashSet<string>(provided, StringComparer.Ordinal);
        var missing = required.Where(v => !have.Contains(v)).Distinct(StringComparer.Ordinal).OrderBy(v => v, StringComparer.Ordinal).ToList();
        if (missing.Count == 0)
        {
            return new CompatibilityDecision(CompatibilityAction.None, missing);
        }

        return missing.All(ShimmableVersions.Contains)
            ? new CompatibilityDecision(CompatibilityAction.Shim, missing)
            : new CompatibilityDecision(CompatibilityAction.Unsupported, missing);
    }
}
