using System.CommandLine;
using System.CommandLine.Parsing;
using Grokking.Claims.Scheduling;

namespace Grokking.Cli;

/// <summary>
/// verify's sharding options: --shard i/n|auto/n (one shard's claims, written as result records into --records DIR), and
/// --emit SCHEDULER --shards n (print a scheduler's job definition for n shards, and nothing else).
/// </summary>
internal sealed class ShardOptions
{
    public Option<ShardSpec?> Shard { get; } = new("--shard")
    {
        Description = "verify shard i of n only (auto/n: the 0-based index from GROKKING_SHARD_INDEX, SLURM_ARRAY_TASK_ID or "
            + "JOB_COMPLETION_INDEX), writing each claim's result record into --records; 'grokking report merge' joins the shards",
        HelpName = "i/n|auto/n",
        CustomParser = result =>
        {
            var spec = ShardSpec.TryParse(result.Tokens[0].Value, out string? problem);
            if (spec is null)
            {
                result.AddError($"Invalid value for '--shard': {problem}");
            }

            return spec;
        },
    };

    public Option<string?> Records { get; } = new("--records")
    {
        Description = "with --shard: the folder of its result records (default: records/ in the report folder); records already "
            + "there with a verdict are kept, not verified again",
        HelpName = "DIR",
    };

    public Option<ShardScheduler?> Emit { get; } = new("--emit")
    {
        Description = "print the job definition of --shards n shards and their merge for this scheduler, and nothing else",
        HelpName = string.Join('|', ShardJobs.Names),
        CustomParser = result =>
        {
            string value = result.Tokens[0].Value;
            if (ShardJobs.TryParse(value, out var scheduler))
            {
                return scheduler;
            }

            result.AddError($"Invalid value for '--emit': '{value}'; allowed: {string.Join(", ", ShardJobs.Names)}");
            return null;
        },
    };

    public Option<int?> Shards { get; } = new("--shards")
    {
        Description = "with --emit: how many shards",
        HelpName = "n",
        CustomParser = result =>
        {
            string value = result.Tokens[0].Value;
            if (ShardSpec.TryCount(value, out int count))
            {
                return count;
            }

            result.AddError($"Invalid value for '--shards': '{value}'; allowed: an integer >= 1");
            return null;
        },
    };

    public ShardOptions()
    {
        Emit.CompletionSources.Clear();
        Emit.CompletionSources.Add([.. ShardJobs.Names]);
    }

    public IEnumerable<Option> All => [Shard, Records, Emit, Shards];

    /// <summary>Whether the command line asks for a shard or a job definition (then <see cref="VerifyShard.Act"/> runs it).</summary>
    public bool Given(ParseResult parsed) => parsed.GetValue(Emit) is not null || parsed.GetValue(Shard) is not null;

    /// <summary>
    /// --records belongs to --shard, --shards to --emit (and --emit needs it); --emit prints a definition, so it takes no
    /// option that runs or gates anything; --shard runs claims, so not with --plan or --variants.
    /// </summary>
    public void Validate(CommandResult result, IEnumerable<Option> runningOptions)
    {
        bool shard = result.GetResult(Shard) is not null;
        bool emit = result.GetResult(Emit) is not null;
        if (result.GetResult(Records) is not null && !shard)
        {
            result.AddError("Invalid value for '--records': it is where --shard writes its records; add --shard");
        }

        if (emit != (result.GetResult(Shards) is not null))
        {
            result.AddError(emit
                ? "Invalid value for '--emit': say how many shards with --shards n"
                : "Invalid value for '--shards': it goes with --emit");
        }

        var given = runningOptions.Where(o => result.GetResult(o) is not null).Select(o => o.Name).ToList();
        if (shard && (emit || given.Any(n => n is "--plan" or "--variants" or "--record")))
        {
            string other = emit ? "--emit" : given.First(n => n is "--plan" or "--variants" or "--record");
            result.AddError($"Invalid value for '--shard': it verifies one shard's claims, {other} does something else; use one");
        }

        if (emit && given.FirstOrDefault(n => n != "--claims") is { } extra)
        {
            result.AddError($"Invalid value for '--emit': it prints a job definition and runs nothing, so {extra} does not apply");
        }
    }
}
