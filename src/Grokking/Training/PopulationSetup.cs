using Grokking.Configuration;
using Grokking.Data;

namespace Grokking.Training;

/// <summary>The members a configuration asks for, and the checks that need the data's size.</summary>
public static class PopulationSetup
{
    /// <summary>
    /// Cartesian product Seeds x TrainFractions x TrainSamples x Messiness x WeightDecays x InitScales x LearningRates
    /// (empty lists: the single configured value; members get a TrainFraction only when Population:TrainFractions is set,
    /// a TrainSamples only when Population:TrainSamples is, and a Messiness only when Population:Messiness is).
    /// </summary>
    public static IReadOnlyList<MemberSpec> Members(GrokkingOptions options)
    {
        var p = options.Population;
        double[] wds = p.WeightDecays.Length > 0 ? p.WeightDecays : [options.Optimizer.WeightDecay];
        double[] alphas = p.InitScales.Length > 0 ? p.InitScales : [options.Model.InitScale];
        double[] lrs = p.LearningRates.Length > 0 ? p.LearningRates : [options.Optimizer.LearningRate];
        double[] fractions = p.TrainFractions ?? [double.NaN];
        int[] sizes = p.TrainSamples ?? [0];
        double?[] messiness = p.Messiness is { } swept ? [.. swept.Select(m => (double?)m)] : [null];
        var members = new List<MemberSpec>();
        foreach (int seed in p.Seeds)
        {
            foreach (var (fraction, size) in fractions.SelectMany(f => sizes.Select(n => (f, n))))
            {
                foreach (var (m, wd, alpha) in messiness.SelectMany(m => DecaysAndScales(p, wds, alphas).Select(a => (m, a.Wd, a.Alpha))))
                {
                    foreach (double lr in lrs)
                    {
                        members.Add(new MemberSpec(members.Count, seed, lr, wd, alpha, fraction, size, m));
                    }
                }
            }
        }

        return members;
    }

    /// <summary>Weight decay and init scale of each arm: their product, or index by index when Population:Paired.</summary>
    private static IEnumerable<(double Wd, double Alpha)> DecaysAndScales(PopulationOptions p, double[] wds, double[] alphas) =>
        p.Paired ? wds.Zip(alphas) : wds.SelectMany(wd => alphas.Select(alpha => (wd, alpha)));

    /// <summary>Checks that depend on the dataset's size (which the option binder does not know).</summary>
    public static void Validate(GrokkingOptions options)
    {
        if (options.Data.Kind == DatasetKind.Modular && options.Data.Operation == ModularOperation.Divide && !IsPrime(options.Data.Modulus))
        {
            throw OptionsException.InvalidValue("Data:Modulus", $"{options.Data.Modulus}; division needs a prime modulus");
        }

        if (options.Population.TrainFractions is { Length: > 0 } swept)
        {
            if (options.Data.Kind != DatasetKind.Modular)
            {
                throw OptionsException.InvalidValue(
                    "Population:TrainFractions", $"a fraction sweep needs Data:Kind = modular (got {options.Data.Kind})");
            }

            if (swept.Distinct().Count() > 1 && options.Train.BatchSize != 0)
            {
                throw OptionsException.InvalidValue(
                    "Train:BatchSize", $"{options.Train.BatchSize}; members with different train fractions need full-batch training (allowed: 0)");
            }
        }

        if (options.Population.TrainSamples is { Length: > 0 } && options.Data.Kind is not (DatasetKind.Images or DatasetKind.ToyAddition))
        {
            throw OptionsException.InvalidValue(
                "Population:TrainSamples", $"a training-size sweep needs Data:Kind = images or toyaddition (got {options.Data.Kind})");
        }

        if (options.Train.RecordRepresentation && options.Model.Kind != ModelKind.ToyAddition)
        {
            throw OptionsException.InvalidValue(
                "Train:RecordRepresentation",
                $"true needs a model with a learned representation (Model:Kind = toyaddition, got {options.Model.Kind})");
        }

        if (options.Population.Messiness is { Length: > 0 } && !PopulationDataFactory.InterpolatesRepresentations(options.Data.Kind))
        {
            throw OptionsException.InvalidValue(
                "Population:Messiness", $"Data:Kind = {options.Data.Kind.ToString().ToLowerInvariant()} has no representation to interpolate");
        }

        if (options.Data.Kind == DatasetKind.Reviews && (options.Data.Vocabulary < 1 || options.Data.SequenceLength < 1))
        {
            string key = options.Data.Vocabulary < 1 ? "Data:Vocabulary" : "Data:SequenceLength";
            throw OptionsException.InvalidValue(key, "0; Data:Kind = reviews needs a vocabulary and a sequence length of at least 1");
        }

        int train = options.Population.TrainSamples is { Length: > 0 } sizes ? sizes.Max() : PopulationDataFactory.TrainCount(options.Data);
        if (options.Train.BatchSize > train)
        {
            throw OptionsException.InvalidValue(
                "Train:BatchSize",
                $"{options.Train.BatchSize} is larger than the training set ({train} examples); allowed: 1..{train}, or 0 for full batch");
        }

        // Building a one-member model runs the model's own shape checks; it is disposed at once.
        using var probe = Models.PopulationModelFactory.Create(1, options.Model, options.Data);
    }

    private static bool IsPrime(int n)
    {
        if (n < 2)
        {
            return false;
        }

        for (int d = 2; (long)d * d <= n; d++)
        {
            if (n % d == 0)
            {
                return false;
            }
        }

        return true;
    }
}
