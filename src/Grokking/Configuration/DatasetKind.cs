namespace Grokking.Configuration;

public enum DatasetKind
{
    /// <summary><c>c = f(a, b) mod p</c>.</summary>
    Modular,

    /// <summary>Gaussian inputs labelled by a random teacher MLP (Omnigrok's LU experiments).</summary>
    TeacherStudent,

    /// <summary>
    /// Images in IDX files (MNIST's format) under Data:ImagesDirectory, with MSE on one-hot targets (OG-6): a training
    /// subset of Data:TrainSamples and the first Data:TestSamples test images.
    /// </summary>
    Images,

    /// <summary>
    /// Movie reviews labelled positive or negative (IMDb, Maas et al. 2011) from Data:ReviewsDirectory, tokenized as
    /// Omnigrok's IMDb experiment does (Data:Vocabulary most frequent words, padded to Data:SequenceLength): each member
    /// draws Data:TrainSamples + Data:TestSamples reviews and splits them stratified by label.
    /// </summary>
    Reviews,

    /// <summary>
    /// Molecular graphs with their isotropic polarizability (QM9, Ramakrishnan et al. 2014) from Data:MoleculesDirectory:
    /// the first Data:TrainSamples + Data:TestSamples molecules, split at random per member (Omnigrok's QM9 experiment).
    /// </summary>
    Molecules,

    /// <summary>
    /// Liu et al.'s (2022) toy addition as Omnigrok's section 5.1 runs it: the unordered digit pairs (i, j), i &lt;= j &lt;
    /// Data:Modulus, each labelled by the template of (i + j) mod p, a Data:TemplateDimension-wide vector drawn from N(0, 1)
    /// by the member's seed; MSE against the template, prediction = the nearest template. Each member trains on the first
    /// Data:TrainSamples pairs of its seed's permutation (Population:TrainSamples sweeps it) and is tested on the rest.
    /// </summary>
    ToyAddition,
}
