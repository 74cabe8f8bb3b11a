using System.ComponentModel.DataAnnotations;

namespace Grokking.Configuration;

public enum DatasetKind
{
    /// <summary><c>c = f(a, b) mod p</c>.</summary>
    Modular,

    /// <summary>Gaussian inputs labelled by a random teacher MLP (Omnigrok's LU experiments).</summary>
    TeacherStudent,
}

public enum ModularOperation
{
    Add,
    Subtract,
    Multiply,
    Divide,
}

/// <summary>
/// How a pair is shown to a transformer (details in <see cref="Data.ModularArithmeticDataset"/>):
/// the papers' "a, b -> c" form is <c>ThreeToken</c>; Nanda's and Omnigrok's "[a, b, =]" is <c>EqualsToken</c>;
/// the "a op b = c" form is <c>FiveToken</c>.
/// </summary>
public enum SequenceFormat
{
    ThreeToken,
    FiveToken,
    EqualsToken,
}

public sealed class DataOptions
{
    public DatasetKind Kind { get; set; } = DatasetKind.Modular;

    public ModularOperation Operation { get; set; } = ModularOperation.Multiply;

    [Range(2, 100_000)]
    public int Modulus { get; set; } = 97;

    public SequenceFormat Format { get; set; } = SequenceFormat.ThreeToken;

    /// <summary>Fraction of all pairs used for training, in (0, 1).</summary>
    [Range(double.Epsilon, 1 - 1e-12)]
    public double TrainFraction { get; set; } = 0.4;

    // Teacher-student regression (OG-1..3).
    [Range(1, 100_000)]
    public int TeacherInputs { get; set; } = 5;

    [Range(1, 100_000)]
    public int TeacherHidden { get; set; } = 100;

    [Range(1, 100_000)]
    public int TeacherOutputs { get; set; } = 5;

    [Range(1, 10_000_000)]
    public int TrainSamples { get; set; } = 100;

    [Range(1, 10_000_000)]
    public int TestSamples { get; set; } = 100;

    /// <summary>Seed of the teacher network, shared by the whole population so members learn one function.</summary>
    [Range(0, int.MaxValue)]
    public int TeacherSeed { get; set; }
}
