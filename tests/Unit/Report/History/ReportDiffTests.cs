using Grokking.Claims.Contracts;
using Grokking.Report;
using static Grokking.Tests.Unit.Report.History.HistoryFixtures;

namespace Grokking.Tests.Unit.Report.History;

/// <summary>Two verifies compared: verdicts, values against their intervals (hand-picked cases), new and missing claims.</summary>
public sealed class ReportDiffTests
{
    [Theory]
    // A's interval [0.4, 0.6]; B's estimate 0.65 lies outside it.
    [InlineData(0.65, 0.6, 0.7, true)]
    // B's 0.55 inside A's interval, A's 0.5 inside B's [0.5, 0.6] (inclusive ends): not moved.
    [InlineData(0.55, 0.5, 0.6, false)]
    // B's 0.6 on A's upper end, A's 0.5 inside B's [0.45, 0.75]: not moved.
    [InlineData(0.6, 0.45, 0.75, false)]
    // B's 0.58 inside A's interval, but A's 0.5 outside B's narrow [0.57, 0.59]: moved (A→B and B→A agree).
    [InlineData(0.58, 0.57, 0.59, true)]
    // B measured nothing where A measured 0.5.
    [InlineData(double.NaN, double.NaN, double.NaN, true)]
    public void A_value_moved_when_either_estimate_leaves_the_others_interval(double estimate, double low, double high, bool moved)
    {
        var a = Comparison("k", 0.5, 0.4, 0.6);
        var b = Comparison("k", estimate, low, high);

        ValueChange.Moved(a, b).Should().Be(moved);
        ValueChange.Moved(b, a).Should().Be(moved, "the rule is symmetric");
    }

    [Fact]
    public void Without_intervals_any_change_of_the_estimate_is_a_move_and_an_equal_one_is_not()
    {
        var a = Comparison("k", 3, double.NaN, double.NaN);

        ValueChange.Moved(a, Comparison("k", 3, double.NaN, double.NaN)).Should().BeFalse();
        ValueChange.Moved(a, Comparison("k", 3.0001, double.NaN, double.NaN)).Should().BeTrue();
        var none = Comparison("k", double.NaN, double.NaN, double.NaN);
        ValueChange.Moved(none, none with { }).Should().BeFalse("nothing measured on either side is no move");
    }

    [Fact]
    public void The_diff_names_verdict_changes_moved_values_new_and_missing_claims()
    {
        var before = Entry(
            "aaaa",
            Claim("A-1", Verdict.Inconclusive, Comparison("x", 0.5, 0.4, 0.6)),
            Claim("A-2", Verdict.Confirmed, Comparison("y", 1, 0.9, 1.1), Comparison("gone", 1, 0, 2)),
            Claim("A-3", Verdict.Confirmed, Comparison("z", 1, 0.9, 1.1)),
            Claim("A-4", Verdict.Refuted));
        var after = Entry(
            "bbbb",
            Claim("A-1", Verdict.Confirmed, Comparison("x", 0.3, 0.25, 0.35)),
            Claim("A-2", Verdict.Confirmed, Comparison("y", 1.3, 1.2, 1.4), Comparison("added", 1, 0, 2)),
            Claim("A-3", Verdict.Confirmed, Comparison("z", 1.05, 0.95, 1.1)),
            Claim("A-5", Verdict.Confirmed));

        var diff = ReportDiff.Of(before, after);

        diff.VerdictsChanged.Should().Be(1);
        diff.ValuesMoved.Should().Be(2, "A-1's x and A-2's y moved; A-3's z stayed within both intervals");
        diff.New.Should().Be(1);
        diff.Missing.Should().Be(1);
        diff.InBoth.Should().Be(3);
        diff.Claims.Where(c => c.Changed).Select(c => c.Id).Should().Equal("A-1", "A-2", "A-5", "A-4");
        diff.Claims.Single(c => c.Id == "A-2").Values.Select(v => (v.Key, v.Before is null, v.After is null)).Should().Equal(
            ("y", false, false), ("added", true, false), ("gone", false, true));
        diff.SetupDifferences().Should().BeEmpty();
    }

    [Fact]
    public void A_claim_without_comparisons_on_one_side_lists_no_value_as_gone()
    {
        var diff = ReportDiff.Of(
            Entry("aaaa", Claim("A-1", Verdict.Confirmed, Comparison("x", 0.5, 0.4, 0.6))),
            Entry("bbbb", Claim("A-1", Verdict.Error)));

        var claim = diff.Claims.Single();
        claim.VerdictChanged.Should().BeTrue();
        claim.Values.Should().BeEmpty("an ERROR has no comparisons; its verdict says so");
    }

    [Fact]
    public void The_markdown_shows_both_runs_the_counts_and_a_row_per_changed_claim()
    {
        var before = Entry("aaaa0000", Claim("A-1", Verdict.Inconclusive, Comparison("x", 0.5, 0.4, 0.6)), Claim("A-2", Verdict.Confirmed));
        var after = Entry("bbbb0000", Claim("A-1", Verdict.Confirmed, Comparison("x", 0.3, 0.25, 0.35)), Claim("A-2", Verdict.Confirmed)) with
        {
            Run = new HistoryRun(7, DateTimeOffset.UnixEpoch, "verify", Environment("bbbb0000", device: "cuda")),
        };

        string md = ReportDiffMarkdown.Render(ReportDiff.Of(before, after));

        md.Should().Contain("| commit | aaaa0000 (clean) | bbbb0000 (clean) |")
            .And.Contain("| entry | test | #7 |")
            .And.Contain("A and B differ in device cpu → cuda")
            .And.Contain("**1 verdict changed · 1 claim with values beyond their interval · 0 new · 0 missing (2 claims in both)**")
            .And.Contain("| A-1 | **verdict** | INCONCLUSIVE | CONFIRMED | x: 0.5 [0.4, 0.6] → 0.3 [0.25, 0.35] |")
            .And.NotContain("| A-2 |");
    }

    [Fact]
    public void A_changed_threshold_is_shown_beside_the_verdict_it_changed_and_is_not_counted_as_a_move()
    {
        var before = Entry("aaaa", Claim("A-1", Verdict.Confirmed, Comparison("x", 0.005, 0.004, 0.006)));
        var after = Entry("bbbb", Claim("A-1", Verdict.Refuted, Comparison("x", 0.005, 0.004, 0.006) with { Threshold = 0.0001 }));

        var diff = ReportDiff.Of(before, after);
        string md = ReportDiffMarkdown.Render(diff);

        diff.ValuesMoved.Should().Be(0);
        diff.RulesChanged.Should().Be(1);
        md.Should().Contain("**1 verdict changed · 0 claims with values beyond their interval · 1 claim with a changed threshold · 0 new")
            .And.Contain("| A-1 | **verdict** | CONFIRMED | REFUTED | x: threshold &lt;= 0.5 → &lt;= 0.0001 |");
    }

    [Fact]
    public void Two_equal_reports_say_that_nothing_changed()
    {
        var entry = Entry("aaaa", Claim("A-1", Verdict.Confirmed, Comparison("x", 0.5, 0.4, 0.6)));

        string md = ReportDiffMarkdown.Render(ReportDiff.Of(entry, entry));

        md.Should().Contain("**0 verdicts changed · 0 claims with values beyond their interval · 0 new · 0 missing (1 claim in both)**")
            .And.Contain("No claim changed");
    }
}
