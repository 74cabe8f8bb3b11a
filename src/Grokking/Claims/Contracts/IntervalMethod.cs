namespace Grokking.Claims.Contracts;

/// <summary>How the 95 % interval of a decisive quantity was made; the report names it.</summary>
public enum IntervalMethod
{
    /// <summary>Student-t interval of the mean over seeds (3-5 seeds: a bootstrap over so few is degenerate).</summary>
    StudentT,

    /// <summary>Wilson score interval of a share or count pooled over seeds.</summary>
    Wilson,

    /// <summary>The fit's own interval (resampled seeds, or a permutation test for a correlation).</summary>
    Fit,
}

public static class IntervalMethods
{
    public static string Describe(IntervalMethod method) => method switch
    {
        IntervalMethod.StudentT => "95 % Student-t interval of the seed mean",
        IntervalMethod.Wilson => "95 % Wilson interval of the pooled share",
        _ => "95 % interval of the fit",
    };
}
