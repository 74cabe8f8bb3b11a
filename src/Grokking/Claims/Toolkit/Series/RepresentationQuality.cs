namespace Grokking.Claims.Toolkit;

/// <summary>
/// Liu et al.'s (2022) representation quality index of a toy-addition representation E_0 ... E_(p-1) (their train_add,
/// the toy setup Omnigrok's section 5.1 takes): every parallelogram of digits (i, n, j, m), i &lt; j &lt;= m &lt; n and
/// i + n = j + m, is a relation a linear representation satisfies, E_i + E_n = E_j + E_m. After standardizing each
/// column of E (zero mean, unit sample standard deviation), a parallelogram is present when the mean over the columns of
/// (E_i + E_n - E_j - E_m)^2 is below <see cref="Tolerance"/>; RQI is the share of the parallelograms present. A linear
/// representation has RQI 1; a random one near 0.
/// </summary>
public static class RepresentationQuality
{
    /// <summary>Liu et al.'s threshold_P: a parallelogram is present below this mean squared gap of the standardized E.</summary>
    public const double Tolerance = 0.01;

    /// <summary>The parallelograms (i, n, j, m) of p digits in Liu et al.'s order (i, then j, then m ascending).</summary>
    public static IReadOnlyList<(int I, int N, int J, int M)> Parallelograms(int digits)
    {
        var all = new List<(int, int, int, int)>();
        for (int i = 0; i < digits; i++)
        {
            for (int j = i + 1; j < digits; j++)
            {
                for (int m = j; m < digits; m++)
                {
                    int n = j + m - i;
                    if (n > m && n < digits)
                    {
                        all.Add((i, n, j, m));
                    }
                }
            }
        }

        return all;
    }

    /// <summary>
    /// The RQI of <paramref name="representation"/>, <paramref name="digits"/> rows of equal width read row by row (a
    /// metric row's <c>Representation</c>). A column without spread cannot be standardized and makes RQI NaN.
    /// </summary>
    public static double Of(IReadOnlyList<float> representation, int digits)
    {
        if (digits < 2 || representation.Count == 0 || representation.Count % digits != 0)
        {
            throw new ArgumentException($"a representation of {digits} digits needs a multiple of {digits} values (got {representation.Count})");
        }

        int width = representation.Count / digits;
        var standard = new double[digits, width];
        for (int c = 0; c < width; c++)
        {
            double mean = Enumerable.Range(0, digits).Average(d => (double)representation[(d * width) + c]);
            double sd = Math.Sqrt(Enumerable.Range(0, digits).Sum(d => Math.Pow(representation[(d * width) + c] - mean, 2)) / (digits - 1));
            for (int d = 0; d < digits; d++)
            {
                standard[d, c] = (representation[(d * width) + c] - mean) / sd;
            }
        }

        var parallelograms = Parallelograms(digits);
        int present = parallelograms.Count(q => Enumerable.Range(0, width)
            .Average(c => Math.Pow(standard[q.I, c] + standard[q.N, c] - standard[q.J, c] - standard[q.M, c], 2)) < Tolerance);
        return Enumerable.Range(0, width).Any(c => !double.IsFinite(standard[0, c])) ? double.NaN : (double)present / parallelograms.Count;
    }
}
