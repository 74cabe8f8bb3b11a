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
}
