using System.Globalization;
using Grokking.Configuration;

namespace Grokking.Claims.Scheduling;

/// <summary>
/// Which shard a 'verify --shard' runs: <c>i/n</c> (1-based, 1 &lt;= i &lt;= n), or <c>auto/n</c>, the index taken from the
/// scheduler's environment (<see cref="IndexVariables"/>, each 0-based as the schedulers number their tasks).
/// </summary>
public sealed record ShardSpec(int? Index, int Count)
{
    /// <summary>
    /// Where <c>auto</c> finds the 0-based index, the first set of them winning: a CI matrix's own variable, a SLURM job
    /// array's task id (less SLURM_ARRAY_TASK_MIN when set, so an array numbered from 1 works too), a Kubernetes Indexed
    /// Job's completion index.
    /// </summary>
    public static IReadOnlyList<string> IndexVariables { get; } = ["GROKKING_SHARD_INDEX", "SLURM_ARRAY_TASK_ID", "JOB_COMPLETION_INDEX"];

    public const string Usage = "i/n with 1 <= i <= n (e.g. 2/3), or auto/n to take the index from the scheduler's environment";

    /// <summary>Parses <c>i/n</c> or <c>auto/n</c>; null with the reason when it is neither.</summary>
    public static ShardSpec? TryParse(string text, out string? problem)
    {
        problem = null;
        string[] parts = text.Split('/');
        if (parts.Length != 2 || !TryCount(parts[1], out int count))
        {
            problem = $"'{text}' is not {Usage}";
            return null;
        }

        if (parts[0].Equals("auto", StringComparison.OrdinalIgnoreCase))
        {
            return new ShardSpec(null, count);
        }

        if (!int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int index) || index < 1 || index > count)
        {
            problem = $"'{text}': the shard index must be a whole number from 1 to {count}";
            return null;
        }

        return new ShardSpec(index, count);
    }

    /// <summary>A shard count: a whole number from 1.</summary>
    public static bool TryCount(string text, out int count) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out count) && count >= 1;

    /// <summary>
    /// The 1-based index: the one given, or for <c>auto</c> the first of <see cref="IndexVariables"/> that is set, plus one.
    /// A missing, malformed or out-of-range index is an <see cref="OptionsException"/> naming the variable (exit 2).
    /// </summary>
    public int Resolve(Func<string, string?> environment)
    {
        if (Index is { } index)
        {
            return index;
        }

        string? name = IndexVariables.FirstOrDefault(v => !string.IsNullOrEmpty(environment(v)));
        if (name is null)
        {
            throw new OptionsException(
                "--shard",
                $"--shard auto/{Count} takes the 0-based shard index from the environment, but none of {string.Join(", ", IndexVariables)} is set");
        }

        string value = environment(name)!;
        string? min = name == "SLURM_ARRAY_TASK_ID" ? environment("SLURM_ARRAY_TASK_MIN") : null;
        if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long raw)
            || (min is not null && !long.TryParse(min, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
        {
            throw new OptionsException(name, $"Invalid value for environment variable {name}: '{value}' is not a 0-based shard index");
        }

        long zeroBased = raw - (min is null ? 0 : long.Parse(min, CultureInfo.InvariantCulture));
        if (zeroBased < 0 || zeroBased >= Count)
        {
            string from = min is null ? "" : $" (less SLURM_ARRAY_TASK_MIN={min})";
            throw new OptionsException(
                name,
                $"Invalid value for environment variable {name}: '{value}'{from} is not a 0-based index below the {Count} shard(s) "
                + $"of --shard auto/{Count}");
        }

        return (int)zeroBased + 1;
    }
}
