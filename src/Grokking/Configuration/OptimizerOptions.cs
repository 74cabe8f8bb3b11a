using System.ComponentModel.DataAnnotations;

namespace Grokking.Configuration;

public sealed class OptimizerOptions
{
    public OptimizerKind Name { get; set; } = OptimizerKind.Sgd;

    [Range(0.0, 1e3)]
    public double LearningRate { get; set; } = 0.1;

    [Range(0.0, 1e3)]
    public double WeightDecay { get; set; } = 0.001;

    [Range(0.0, 1 - 1e-12)]
    public double Beta1 { get; set; } = 0.9;

    [Range(0.0, 1 - 1e-12)]
    public double Beta2 { get; set; } = 0.98;

    [Range(1e-30, 1.0)]
    public double Eps { get; set; } = 1e-8;

    /// <summary>
    /// Linear warmup over this many steps: step s (0-based) uses lr x min(1, s / WarmupSteps), so the first step
    /// has lr 0 — as Nanda et al.'s LambdaLR(lambda step: min(step / 10, 1)) does.
    /// </summary>
    [Range(0, int.MaxValue)]
    public int WarmupSteps { get; set; }

    /// <summary>
    /// Rescale every member's whole parameter vector back to its norm at initialization after every step
    /// (Omnigrok's constrained training, OG-5: the norm stays at alpha times the standard one).
    /// </summary>
    public bool ConstrainNorm { get; set; }

    /// <summary>
    /// When above 0, each member's gradient is scaled to at most this L2 norm before the step (PyTorch's
    /// clip_grad_norm_, as Omnigrok's LSTM code clips at 5). Out of the serialized options at 0, so no run key moved.
    /// </summary>
    [Range(0.0, 1e6)]
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public double ClipGradNorm { get; set; }

    /// <summary>
    /// A step schedule: when above 0, the learning rate is multiplied by <see cref="LearningRateDropFactor"/> every this
    /// many steps, as Omnigrok's toy-addition landscape notebook does it: before step s (0-based) it checks (s + 1) % every
    /// == 0, so step s runs at lr x factor^floor((s + 1) / every). Out of the serialized options at 0 (no run key moved).
    /// </summary>
    [Range(0, int.MaxValue)]
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public int LearningRateDropEvery { get; set; }

    /// <summary>The factor of <see cref="LearningRateDropEvery"/>'s schedule (the notebook's 0.2); unused at 0 steps.</summary>
    [Range(0.0, 1.0)]
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public double LearningRateDropFactor { get; set; }

    /// <summary>
    /// The learning rate eta_R of a model's representation parameters (toy addition's E_i, Omnigrok's Eq. 6); the members'
    /// learning rate is the decoder's eta_D. 0, the default, freezes the representation (the landscape analysis: only the
    /// decoder trains). The representation takes no weight decay (Eq. 6: dm/dt = -eta_R dl/dm) and no part in
    /// Optimizer:ConstrainNorm (the norm held is the decoder's w). Models without a representation ignore it; out of the
    /// serialized options at 0.
    /// </summary>
    [Range(0.0, 1e3)]
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public double RepresentationLearningRate { get; set; }

    /// <summary>The multiplier of the learning rate at 0-based step <paramref name="step"/> under the drop schedule (1 without one).</summary>
    public double ScheduleFactor(long step) =>
        LearningRateDropEvery > 0 ? Math.Pow(LearningRateDropFactor, (step + 1) / LearningRateDropEvery) : 1.0;
}
