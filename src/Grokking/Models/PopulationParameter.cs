using Grokking.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Grokking.Models;

/// <summary>A parameter of every member at once: leading dimension = member. <c>Fan</c> sets the scale of its init.</summary>
public sealed record PopulationParameter(string Name, Parameter Value, InitKind Init, long Fan, bool ScaleInvariant);
