namespace Grokking.Runtime;

/// <summary>One entry of an ELF object's <c>.gnu.version_r</c>: "this object needs <see cref="Version"/> from <see cref="File"/>".</summary>
public sealed record ElfVersionNeed(string File, string Version, bool IsWeak, long FlagsOffset);
