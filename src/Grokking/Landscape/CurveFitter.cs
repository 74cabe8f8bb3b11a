using Grokking.Data;
using Grokking.Models;
using Grokking.Runtime;
using Grokking.Training;
using static TorchSharp.torch;

namespace Grokking.Landscape;

/// <summary>
/// Fits the bend theta of one-bend curves between fixed ends (MC section 3, after Garipov et al.): minimize
/// E_{t ~ U[0,1]} Loss(phi_theta(t)) by plain SGD, one t per minibatch and fit, the bend starting at the segment's
/// midpoint. Loss is cross-entropy plus the run's L2 term. By the chain rule dLoss/dtheta = c_bend(t) * dLoss/dphi:
/// phi(t) is loaded into a population model whose member f is fit f, one backward pass gives dLoss/dphi for all
/// fits, and theta moves by -lr * c_bend(t) * (grad + wd * phi). Several fits are one population; each has its own
/// budget of epochs. The minibatches come from the trainer's <see cref="MinibatchLoop"/>.
/// </summary>
public static class CurveFitter
{
    /// <param name="membersPerChunk">
    /// Fits per population model (0: measured by <see cref="FitLayout"/> on this device). Fits are independent and each
    /// member of a population computes exactly what it would alone, so the layout changes no bit of any fit (tested); it
    /// only decides speed. Chunks are formed in order of budget, so a fit rarely rides along after its budget is spent.
    /// </param>
    public static IReadOnlyList<FittedCurve> Fit(
        LandscapeSetup setup, IReadOnlyList<FitRequest> requests, IProgress<string>? progress = null, int membersPerChunk = 0)
    {
        if (requests.Count == 0)
        {
            return [];
        }

        if (requests.Any(r => r.Kind is not (PathKind.Polyline or PathKind.Bezier)))
        {
            throw new ArgumentException("only polylines and Bézier curves have a bend to fit", nameof(requests));
        }

        if (requests.Any(r => r.Epochs < 1))
        {
            throw new ArgumentException("every fit needs a budget of at least one epoch", nameof(requests));
        }

        int chunk = membersPerChunk > 0 ? membersPerChunk : FitLayout.MembersPerChunk(setup, requests);
        var curves = new FittedCurve[requests.Count];
        var chunks = Chunks(requests, chunk);
        for (int c = 0; c < chunks.Count; c++)
        {
            var members = chunks[c].Select(i => requests[i]).ToList();
            string label = chunks.Count == 1 ? "" : $"{c + 1}/{chunks.Count} ";
            using var fit = new BendFit(setup, members);
            fit.Train(progress, label);
            var fitted = fit.Curves();
            for (int j = 0; j < fitted.Count; j++)
            {
                curves[chunks[c][j]] = fitted[j];
            }
        }

        return curves;
    }

    /// <summary>Request indices in chunks of at most <paramref name="size"/>, longest budgets first (stable).</summary>
    internal static List<int[]> Chunks(IReadOnlyList<FitRequest> requests, int size) =>
        Enumerable.Range(0, requests.Count)
            .OrderByDescending(i => requests[i].Epochs)
            .Chunk(Math.Max(1, size))
            .ToList();

    /// <summary>
    /// Seconds per fit-step of <paramref name="requests"/> as one population over <paramref name="steps"/> steps, and the
    /// bits of the first fit's bend after them (a layout is used only where these bits do not depend on it).
    /// </summary>
    internal static (double Seconds, byte[][] Bends) TimeSteps(LandscapeSetup setup, IReadOnlyList<FitRequest> requests, int steps)
    {
        using var fit = new BendFit(setup, requests);
        double seconds = fit.Time(steps) / requests.Count;
        return (seconds, fit.BendBytes());
    }

    /// <summary>The fits of one call as one population: the fixed ends, the bends, the schedule of t and budgets.</summary>
    private sealed class BendFit : IDisposable
    {
        private readonly LandscapeSetup setup;
        private readonly IReadOnlyList<FitRequest> requests;
        private readonly PathKind[] kinds;
        private readonly PopulationModel model;
        private readonly PopulationData data;
        private readonly List<string> names;
        private readonly Dictionary<string, Tensor> start = [];
        private readonly Dictionary<string, Tensor> end = [];
        private readonly Dictionary<string, Tensor> bend = [];
        private readonly MinibatchLoop loop;
        private readonly int epochs;
        private readonly long steps;
        private readonly Tensor active;
        private readonly Tensor t;
        private readonly Tensor lossBuffer;

        public BendFit(LandscapeSetup setup, IReadOnlyList<FitRequest> requests)
        {
            this.setup = setup;
            this.requests = requests;
            kinds = requests.Select(r => r.Kind).ToArray();
            int f = requests.Count;
            var seeds = requests.Select(r => r.Start.Seed).ToArray();
            model = PopulationModelFactory.Create(f, setup.Model, setup.Data, setup.Device);
            try
            {
                data = PopulationDataFactory.Create(setup.Data, seeds, setup.Device, model.DType);
                names = model.Parameters.Select(p => p.Name).ToList();
                StackEnds();

                // The fit's own minibatch order, apart from the run's: its start member's seed through the PathT stream. Its
                // full batches are shuffled too, as they always were (the order sets the bits of the batch mean).
                var orderSeeds = seeds.Select(s => SeedStreams.Derive(s, SeedStreams.PathT)).ToArray();
                loop = new MinibatchLoop(data.TrainCount, setup.BatchSize, orderSeeds, setup.Device, shuffleFullBatch: true);
                epochs = requests.Max(r => r.Epochs);
                steps = epochs * loop.StepsPerEpoch;
                active = ActiveMask();
                t = DrawT();
                lossBuffer = zeros(steps, f, device: setup.Device);
            }
            catch
            {
                Dispose(); // what was made before the failure
                throw;
            }
        }

        /// <summary>[F, ...] per parameter: the ends of every fit, and the bends at their segments' midpoints.</summary>
        private void StackEnds()
        {
            using var noGrad = no_grad();
            foreach (string name in names)
            {
                start[name] = stack(requests.Select(r => r.Start.Tensors[name]).ToArray());
                end[name] = stack(requests.Select(r => r.End.Tensors[name]).ToArray());
                bend[name] = start[name].Plus(end[name]).TimesInPlace(0.5);
            }
        }

        /// <summary>[steps, F] of 0/1: a fit whose budget is spent keeps riding in the population with its bend frozen.</summary>
        private Tensor ActiveMask()
        {
            int f = requests.Count;
            var host = new float[steps * f];
            for (long s = 0; s < steps; s++)
            {
                for (int k = 0; k < f; k++)
                {
                    host[(s * f) + k] = s < requests[k].Epochs * loop.StepsPerEpoch ? 1f : 0f;
                }
            }

            return tensor(host, [steps, f], device: setup.Device);
        }

        /// <summary>All t of all steps, drawn up front from each fit's own stream: [steps, F].</summary>
        private Tensor DrawT() => stack(requests.Select(r =>
        {
            using var g = SeedStreams.Generator(r.Seed, SeedStreams.PathT);
            return rand(steps, generator: g);
        }).ToArray(), 1).to(setup.Device);

        public void Train(IProgress<string>? progress, string label = "")
        {
            foreach (var batch in loop.Steps(0, steps))
            {
                if (progress is not null && batch.Position == 0 && batch.Epoch % 10 == 0)
                {
                    progress.Report($"curve fit {label}epoch {batch.Epoch} of {epochs}");
                }

                Step(batch);
            }
        }

        /// <summary>Seconds for the first <paramref name="count"/> steps (a layout measurement; the fit is discarded after).</summary>
        public double Time(int count)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            foreach (var batch in loop.Steps(0, Math.Min(count, steps)))
            {
                Step(batch);
            }

            return clock.Elapsed.TotalSeconds;
        }

        /// <summary>Loads phi(t) of every fit into the model, takes dLoss/dphi on the batch and moves each active bend.</summary>
        private void Step(Minibatch batch)
        {
            using var scope = NewDisposeScope();
            var c = Coefficients(kinds, t[batch.Step]); // [F, 3]
            using (no_grad())
            {
                foreach (var p in model.Parameters)
                {
                    p.Value.copy_(Combine(c, start[p.Name], bend[p.Name], end[p.Name]));
                    p.Value.grad?.zero_();
                }
            }

            var rows = batch.Rows(data);
            var output = model.forward(rows.X);
            var loss = LossFunctions.PerExample(output, rows.Y, data.Task).mean([1]);
            loss.sum().backward();
            using (no_grad())
            {
                double wd = setup.WeightDecay;
                lossBuffer[batch.Step].copy_(loss.detach().Plus(model.SquaredNorm().TimesInPlace(wd / 2)));

                // -lr * c_bend(t), per fit; 0 once its budget is spent.
                var scale = c.select(1, 1).mul(active[batch.Step]).TimesInPlace(-setup.FitLearningRate);
                foreach (var p in model.Parameters)
                {
                    var grad = p.Value.grad!.Plus(p.Value.detach().Times(wd));
                    bend[p.Name].PlusInPlace(grad.mul_(Broadcast(scale, grad)));
                }
            }
        }

        /// <summary>Each fit's bend as bytes, member by member, for comparing layouts to the bit.</summary>
        public byte[][] BendBytes()
        {
            using var scope = NewDisposeScope();
            return Enumerable.Range(0, requests.Count).Select(k =>
            {
                var bends = cat(names.Select(name => bend[name][k].flatten()).ToArray()).to_type(ScalarType.Float64).cpu();
                return bends.data<double>().ToArray().SelectMany(BitConverter.GetBytes).ToArray();
            }).ToArray();
        }

        /// <summary>Each fit's curve through its bend, with the objective of each step of its own budget.</summary>
        public List<FittedCurve> Curves()
        {
            int f = requests.Count;
            var losses = lossBuffer.cpu().data<float>().ToArray();
            var curves = new List<FittedCurve>();
            for (int k = 0; k < f; k++)
            {
                var r = requests[k];
                var theta = new WeightVector($"{r.Label} bend", r.Start.Seed, names.ToDictionary(name => name, name => bend[name][k].clone()));
                var path = r.Kind == PathKind.Polyline
                    ? WeightPath.Polyline(r.Start, theta, r.End, r.Label)
                    : WeightPath.Bezier(r.Start, theta, r.End, r.Label);
                var stepLoss = Enumerable.Range(0, (int)(r.Epochs * loop.StepsPerEpoch)).Select(s => losses[(s * f) + k]).ToArray();
                curves.Add(new FittedCurve(path, theta, stepLoss, (int)loop.StepsPerEpoch));
            }

            return curves;
        }

        // Null-tolerant: the constructor calls it when setup fails half-way.
        public void Dispose()
        {
            foreach (var x in start.Values.Concat(end.Values).Concat(bend.Values))
            {
                x.Dispose();
            }

            lossBuffer?.Dispose();
            t?.Dispose();
            active?.Dispose();
            data?.Dispose();
            model.Dispose();
        }
    }

    private static Tensor Coefficients(PathKind[] kinds, Tensor t)
    {
        if (kinds.All(k => k == kinds[0]))
        {
            return WeightPath.BendCoefficients(kinds[0], t);
        }

        var polyline = WeightPath.BendCoefficients(PathKind.Polyline, t);
        var bezier = WeightPath.BendCoefficients(PathKind.Bezier, t);
        var isPolyline = tensor(kinds.Select(k => k == PathKind.Polyline).ToArray(), device: t.device).unsqueeze(1);
        return where(isPolyline, polyline, bezier);
    }

    private static Tensor Combine(Tensor c, Tensor start, Tensor bend, Tensor end) =>
        start.mul(Broadcast(c.select(1, 0), start))
            .PlusInPlace(bend.mul(Broadcast(c.select(1, 1), bend)))
            .PlusInPlace(end.mul(Broadcast(c.select(1, 2), end)));

    /// <summary>A per-fit value [F] shaped to multiply a [F, ...] tensor.</summary>
    private static Tensor Broadcast(Tensor perFit, Tensor like) => perFit.reshape([perFit.shape[0], .. Enumerable.Repeat(1L, (int)like.dim() - 1)]);
}
