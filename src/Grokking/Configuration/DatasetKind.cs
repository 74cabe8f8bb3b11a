namespace Grokking.Configuration;

public enum DatasetKind
{
    /// <summary><c>c = f(a, b) mod p</c>.</summary>
    Modular,

    /// <summary>Gaussian inputs labelled by a random teacher MLP (Omnigrok's LU experiments).</summary>
    TeacherStudent,
}
