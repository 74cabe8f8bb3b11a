using Grokking.Claims.Analyses;
using static Grokking.Tests.Unit.Claims.SlingshotRun;

namespace Grokking.Tests.Unit.Claims;

/// <summary>How <see cref="SlingshotTraces"/> reads a run's per-step traces (shared by PG-3 and PG-5).</summary>
public sealed class SlingshotTracesTests
{
    private static IReadOnlyList<SlingshotTraces> Read(Func<long, Member> member, bool traces = true) =>
        SlingshotTraces.Of(Context(Result(member, traces), "PG-x"));

    [Fact]
    public void Every_seed_is_read_in_full_when_none_diverged()
    {
        var traces = Read(Paper);

        traces.Select(t => t.Spec.Seed).Should().Equal(0, 1, 2);
        traces.Should().AllSatisfy(t =>
        {
            t.Loss.Should().HaveCount(Steps);
            t.OutputNorm.Should().HaveCount(Steps);
            t.Distance.Should().HaveCount(Steps);
            t.Rows.Should().HaveCount(Steps / RowsEvery);
            t.Diverged.Should().BeFalse();
            t.DivergedNote.Should().BeEmpty();
        });
    }

    [Fact]
    public void A_diverged_member_is_read_up_to_the_step_that_diverged()
    {
        // Step 1000 diverged: samples 0..998 (steps 1..999) are kept, rows at steps 50..950.
        var t = Read(s => s == 1 ? Paper(s) with { DivergedStep = 1000 } : Paper(s))[1];

        t.Loss.Should().HaveCount(999).And.AllSatisfy(v => double.IsFinite(v).Should().BeTrue());
        t.OutputNorm.Should().HaveCount(999);
        t.Distance.Should().HaveCount(999).And.AllSatisfy(c => c.Should().BeGreaterThan(0));
        t.Rows[^1].Step.Should().Be(950);
        t.DivergedNote.Should().Contain("diverged at step 1000");
    }

    [Fact]
    public void Sample_t_is_optimizer_step_t_plus_one_as_rows_count_steps()
    {
        SlingshotTraces.StepOf(0).Should().Be(1);
        SlingshotTraces.Steps([499, 1199]).Should().Be("step(s) 500, 1200");
        SlingshotTraces.Steps([]).Should().Be("none");
        SlingshotTraces.Steps([.. Enumerable.Range(0, 10)], most: 3).Should().Be("step(s) 1, 2, 3 and 7 more");
    }

    [Fact]
    public void The_spike_onsets_are_at_the_injected_slingshots()
    {
        var t = Read(Paper)[0];

        t.LossOnsets(new SpikeRule(20, 0.5, 30)).Select(SlingshotTraces.StepOf).Should().Equal(500, 1200, 1900, 2600);
    }

    [Fact]
    public void A_run_without_traces_names_the_setting_that_records_them()
    {
        FluentActions.Invoking(() => Read(Paper, traces: false))
            .Should().Throw<InvalidOperationException>()
            .WithMessage("PG-x: the run of experiment 'pg-slingshot' has no per-step traces for seed 0*set Train:StepTraces = true*");
    }
}
