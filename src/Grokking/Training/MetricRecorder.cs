using Grokking.Runtime;
using Grokking.Data;
using Grokking.Models;
using Grokking.Optim;
using static TorchSharp.torch;

namespace Grokking.Training;

/// <summary>
/// Measures every member at a metric step in one device round trip: each metric is a [K] tensor computed on the
/// device under its name, all of them are copied to the host together, and rows are built by name.
/// </summary>
internal sealed class MetricRecorder(
    PopulationModel model, PopulationData data, PopulationOptimizer optimizer, int batchSize, bool stochasticGradNorm,
    bool recordRepresentation = false)
{
    private readonly Func<PopulationParameter, bool> invariant = model.HasScaleInvariantParameters ? p => p.ScaleInvariant : _ => true;

    /// <summary>Which parameters the effective lr and gradient norm read: those feeding a normalization, or all.</summary>
    public Func<PopulationParameter, bool> Invariant => invariant;

    /// <param name="gradSquares">
    /// [3, K], at the weights before the last step: the squared data-loss gradient norm of its minibatch over all and
    /// over the scale-invariant parameters, and the squared norm of the scale-invariant weights.
    /// </param>
    public IReadOnlyList<MetricRow> Record(long done, long stepsPerEpoch, Tensor gradSquares)
    {
        using var scope = NewDisposeScope();
        var train = PopulationEvaluator.Evaluate(model, data.TrainX, data.TrainY, data, data.TrainWeights, data.TrainSizes);
        var val = PopulationEvaluator.Evaluate(model, data.ValX, data.ValY, data, data.ValWeights, data.ValSizes);
        var normSq = model.SquaredNorm(PopulationModel.IsWeight);
        var invariantSq = model.SquaredNorm(invariant);
        var l2 = optimizer.WeightDecays.mul(normSq).DivideInPlace(2);
        var named = new (string Name, Tensor Value)[]
        {
            ("train_loss", train.Loss),
            ("train_loss_l2", train.Loss.Plus(l2)),
            ("train_acc", train.Accuracy),
            ("val_loss", val.Loss),
            ("val_loss_l2", val.Loss.Plus(l2)),
            ("val_acc", val.Accuracy),
            ("weight_norm", normSq.sqrt()),
            ("effective_lr", optimizer.LearningRates.div(invariantSq)),
            ("invariant_sq", invariantSq),
            ("effective_grad_norm", gradSquares[1].sqrt().mul(gradSquares[2].sqrt())),
            ("grad_norm", gradSquares[0].sqrt()),
            ("active", optimizer.Active),
            ("steps_taken", optimizer.StepsTaken),
        };
        // Metrics are read at float32 as always (a float64 run's too); the int64 step count goes through float64 beside
        // them, exact to 2^53 where float32 stops at 2^24. float32 values widen to double exactly, so rows are unchanged.
        var wide = named.Select(n => (n.Name == "steps_taken" ? n.Value : n.Value.to_type(ScalarType.Float32)).to_type(ScalarType.Float64));
        var host = stack(wide.ToArray()).cpu().data<double>().ToArray();
        var index = named.Select((n, i) => (n.Name, i)).ToDictionary(p => p.Name, p => p.i);
        // With the pass on, both gradient norms are Lobacheva et al.'s: the mean over all training minibatches of each
        // minibatch's norm at these weights (row 0 all parameters, row 1 the scale-invariant ones).
        float[]? stochastic = stochasticGradNorm
            ? MeanStochasticGradNorm.Compute(model, data, batchSize, [_ => true, invariant]).to_type(ScalarType.Float32).cpu().data<float>().ToArray()
            : null;

        var rows = Rows(host, index, stochastic, done, stepsPerEpoch);
        return recordRepresentation ? WithRepresentations(rows) : rows;
    }

    /// <summary>Each row with its member's representation (every representation parameter, flattened in registration order).</summary>
    private List<MetricRow> WithRepresentations(List<MetricRow> rows)
    {
        using var noGrad = no_grad();
        var parts = model.Parameters.Where(p => p.Representation).Select(p => p.Value.detach().reshape(model.Members, -1)).ToArray();
        if (parts.Length == 0)
        {
            throw new InvalidOperationException("Train:RecordRepresentation needs a model with a learned representation (Model:Kind = toyaddition)");
        }

        var host = cat(parts, 1).to_type(ScalarType.Float32).cpu().data<float>().ToArray();
        int width = host.Length / model.Members;
        return [.. rows.Select(r => r with { Representation = host.AsSpan(r.Member * width, width).ToArray() })];
    }

    /// <summary>One row per member from the quantities read to the host (member m of quantity q at q * K + m).</summary>
    private List<MetricRow> Rows(double[] host, Dictionary<string, int> index, float[]? stochastic, long done, long stepsPerEpoch)
    {
        int k = model.Members;
        var rows = new List<MetricRow>(k);
        for (int m = 0; m < k; m++)
        {
            double V(string name) => host[(index[name] * k) + m];
            long divergedAt = V("active") > 0 ? MemberEvents.Never : (long)V("steps_taken") + 1;
            rows.Add(new MetricRow(
                Step: done,
                Epoch: (double)done / stepsPerEpoch,
                Member: m,
                TrainLoss: V("train_loss"),
                TrainLossL2: V("train_loss_l2"),
                TrainAccuracy: V("train_acc"),
                ValLoss: V("val_loss"),
                ValLossL2: V("val_loss_l2"),
                ValAccuracy: V("val_acc"),
                WeightNorm: V("weight_norm"),
                EffectiveLearningRate: V("effective_lr"),
                EffectiveGradNorm: stochastic is null ? V("effective_grad_norm") : stochastic[k + m] * Math.Sqrt(V("invariant_sq")),
                GradNorm: V("grad_norm"),
                MeanStochasticGradNorm: stochastic?[m],
                DivergedAtStep: divergedAt));
        }

        return rows;
    }
}
