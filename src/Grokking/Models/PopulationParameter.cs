using TorchSharp.Modules;

namespace Grokking.Models;

/// <summary>
/// A parameter of every member at once: leading dimension = member. <c>Fan</c> sets the scale of its init.
/// <c>Representation</c> marks a learned input representation (toy addition's E_i): drawn by the model itself rather than
/// scaled by the init scale, trained at Optimizer:RepresentationLearningRate without weight decay, and outside the norm
/// Optimizer:ConstrainNorm holds and the weight norm the metrics report (both the decoder's w).
/// </summary>
public sealed record PopulationParameter(string Name, Parameter Value, InitKind Init, long Fan, bool ScaleInvariant, bool Representation = false);
