using TorchSharp.Modules;

namespace Grokking.Models;

/// <summary>A parameter of every member at once: leading dimension = member. <c>Fan</c> sets the scale of its init.</summary>
public sealed record PopulationParameter(string Name, Parameter Value, InitKind Init, long Fan, bool ScaleInvariant);
