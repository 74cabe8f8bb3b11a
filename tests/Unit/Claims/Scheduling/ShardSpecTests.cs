using Grokking.Claims.Scheduling;
using Grokking.Configuration;

namespace Grokking.Tests.Unit.Claims.Scheduling;

public class ShardSpecTests
{
    private static Func<string, string?> Environment(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    [Theory]
    [InlineData("1/1", 1, 1)]
    [InlineData("2/3", 2, 3)]
    [InlineData("12/12", 12, 12)]
    [InlineData("auto/4", null, 4)]
    [InlineData("AUTO/2", null, 2)]
    public void A_shard_is_i_of_n_or_auto_of_n(string text, int? index, int count)
    {
        ShardSpec.TryParse(text, out string? problem).Should().Be(new ShardSpec(index, count));
        problem.Should().BeNull();
    }

    [Theory]
    [InlineData("0/3", "the shard index must be a whole number from 1 to 3")]
    [InlineData("4/3", "the shard index must be a whole number from 1 to 3")]
    [InlineData("-1/3", "the shard index must be a whole number from 1 to 3")]
    [InlineData("1/0", "is not i/n with 1 <= i <= n")]
    [InlineData("3", "is not i/n")]
    [InlineData("1/2/3", "is not i/n")]
    [InlineData("auto/", "is not i/n")]
    [InlineData("x/3", "the shard index must be a whole number")]
    public void Anything_else_is_refused_with_the_reason(string text, string reason)
    {
        ShardSpec.TryParse(text, out string? problem).Should().BeNull();
        problem.Should().Contain($"'{text}'").And.Contain(reason);
    }

    [Fact]
    public void A_given_index_needs_no_environment()
    {
        new ShardSpec(2, 3).Resolve(_ => throw new InvalidOperationException("read")).Should().Be(2);
    }

    [Theory]
    [InlineData("GROKKING_SHARD_INDEX", "0", 1)]
    [InlineData("GROKKING_SHARD_INDEX", "2", 3)]
    [InlineData("JOB_COMPLETION_INDEX", "1", 2)]
    [InlineData("SLURM_ARRAY_TASK_ID", "0", 1)]
    public void Auto_takes_the_0_based_index_of_the_scheduler(string variable, string value, int shard)
    {
        new ShardSpec(null, 3).Resolve(Environment((variable, value))).Should().Be(shard);
    }

    [Fact]
    public void A_slurm_array_numbered_from_1_counts_from_its_first_task()
    {
        var spec = new ShardSpec(null, 3);

        spec.Resolve(Environment(("SLURM_ARRAY_TASK_ID", "1"), ("SLURM_ARRAY_TASK_MIN", "1"))).Should().Be(1);
        spec.Resolve(Environment(("SLURM_ARRAY_TASK_ID", "3"), ("SLURM_ARRAY_TASK_MIN", "1"))).Should().Be(3);
    }

    [Fact]
    public void The_matrix_variable_outranks_the_schedulers_own()
    {
        var environment = Environment(("GROKKING_SHARD_INDEX", "2"), ("SLURM_ARRAY_TASK_ID", "0"), ("JOB_COMPLETION_INDEX", "1"));

        new ShardSpec(null, 3).Resolve(environment).Should().Be(3);
    }

    [Fact]
    public void Auto_without_an_index_in_the_environment_names_the_variables_it_reads()
    {
        var act = () => new ShardSpec(null, 3).Resolve(Environment());

        act.Should().Throw<OptionsException>().WithMessage(
            "--shard auto/3 takes the 0-based shard index from the environment, but none of GROKKING_SHARD_INDEX, SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX is set");
    }

    [Theory]
    [InlineData("GROKKING_SHARD_INDEX", "3", "'3' is not a 0-based index below the 3 shard(s) of --shard auto/3")]
    [InlineData("JOB_COMPLETION_INDEX", "x", "'x' is not a 0-based shard index")]
    [InlineData("GROKKING_SHARD_INDEX", "-1", "'-1' is not a 0-based shard index")]
    public void An_index_out_of_range_or_malformed_names_its_variable(string variable, string value, string message)
    {
        var act = () => new ShardSpec(null, 3).Resolve(Environment((variable, value)));

        act.Should().Throw<OptionsException>().WithMessage($"Invalid value for environment variable {variable}: {message}")
            .Which.Key.Should().Be(variable);
    }

    [Fact]
    public void A_slurm_task_below_its_first_is_out_of_range_and_says_so()
    {
        var act = () => new ShardSpec(null, 3).Resolve(Environment(("SLURM_ARRAY_TASK_ID", "0"), ("SLURM_ARRAY_TASK_MIN", "1")));

        act.Should().Throw<OptionsException>().WithMessage("*'0' (less SLURM_ARRAY_TASK_MIN=1) is not a 0-based index below the 3 shard(s)*");
    }
}
