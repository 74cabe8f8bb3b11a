using Grokking.Claims.Contracts;
using Grokking.Report;

namespace Grokking.Tests.Unit.Report;

public sealed class MarkdownReportRendererTests
{
    private readonly string _markdown = MarkdownReportRenderer.Render(ReportFixtures.Document()).ReplaceLineEndings("\n");

    [Fact]
    public void Summary_row_has_the_verdict_badge_and_the_measured_versus_paper_cell()
    {
        _markdown.Should().Contain(
            "| MC_1 | Memorisation precedes generalisation | **CONFIRMED** | universal | REFUTED "
            + "| val_acc: 0.9912 (paper 1); delay: 12346 steps (paper 10000) | 2 / 1 | 42.5 |\n");
        _markdown.Should().Contain("| WN_2 | Weight &lt;norm> & friends | **REFUTED** | typical | no control | weight_norm: NaN | 2 / 0 | 42.5 |\n");
    }

    [Fact]
    public void Header_counts_and_experiment_minutes_come_from_the_document()
    {
        _markdown.Should().StartWith("# Grokking claims report\n\n")
            .And.Contain("commit 0123456789ab · duration 1 h 02 min  \n")
            .And.Contain("**1 CONFIRMED / 1 REFUTED / 0 INCONCLUSIVE / 0 ERROR / 0 DATA MISSING**")
            .And.Contain("| modular-addition | 20.0 | MC_1, WN_2 |\n")
            .And.EndWith("![Accuracy](figures/mc1.png)\n");
    }

    [Fact]
    public void The_agreement_table_shows_each_committed_verdict_or_why_it_is_missing_with_the_paper_provenance()
    {
        _markdown.Should().Contain("| Claim | ci | paper | paper made with | Agree | Paper minutes |\n")
            .And.Contain("| MC_1 | CONFIRMED | CONFIRMED | engine-test, 2026-01-02, cpu | agrees | 134.2 recorded |\n")
            .And.Contain("| WN_2 | no ci baseline | no paper baseline yet (needs a GPU: x training projected 300.0 CPU-hours on cpu) | — | — | — |\n");
        MarkdownReportRenderer.Render(new ReportDocument(ReportFixtures.Environment, ReportFixtures.Outcomes))
            .Should().NotContain("paper made with", "a report written without baselines leaves the section out");
    }

    [Theory]
    [InlineData(Verdict.Inconclusive, "out of regime", "differs: ci declared out of regime (claim file)")]
    [InlineData(Verdict.Inconclusive, null, "DISAGREES")]
    [InlineData(Verdict.Confirmed, "out of regime", "agrees, ci declared out of regime (claim file)")]
    [InlineData(Verdict.Confirmed, null, "agrees")]
    public void A_ci_verdict_reads_as_declared_only_where_the_claim_file_declares_it(Verdict ci, string? declared, string cell)
    {
        var row = new Grokking.Claims.ProfileAgreement("MC_1", ci, null, Verdict.Confirmed, null, null) { CiDeclared = declared };
        var document = new ReportDocument(ReportFixtures.Environment, ReportFixtures.Outcomes, [row]);

        MarkdownReportRenderer.Render(document).Should().Contain($"| MC_1 | {ReportText.Badge(ci)} | CONFIRMED | not recorded (before provenance) | {cell} | — |\n");
    }

    [Fact]
    public void The_variants_table_shows_each_alternative_with_its_effect_on_the_committed_verdict()
    {
        _markdown.Should().Contain("| Claim | Alternative | Committed | Under it | Effect | Made with |\n")
            .And.Contain("| MC_1 | the learning rate = lr-0.01 (modular-addition) | CONFIRMED | CONFIRMED | holds | engine-test, 2026-01-03, cuda with TF32 |\n")
            .And.Contain("| MC_1 | the width = width-128 (modular-addition) | — | REFUTED | undecided | — |\n")
            .And.Contain("| MC_1 | the train fraction = fraction-0.3 (modular-addition) | CONFIRMED | INCONCLUSIVE (rule: CONFIRMED) | undecided | — |\n");
    }

    [Fact]
    public void Claim_section_has_measured_table_seeds_divergence_and_setup_lines()
    {
        _markdown.Should().Contain("| val_acc | 0.9912 | 1 | — | >= 0.95 | 0.99, 0.992 |\n")
            .And.Contain("Seeds: 1, 2 (combined: median)\n")
            .And.Contain("Divergences: 1 member(s) diverged (non-finite loss or gradient; frozen intact before the bad step, reported, decided without them): wd=1 seed 2 at step 1200 (epoch 12)\n")
            .And.Contain("Setup: the paper's except (ci, training 20.0 min): Data:Modulus: 97 -> 59\n")
            .And.Contain("Setup: the paper profile's (training 0.0 min)\n");
    }

    [Fact]
    public void Claim_section_names_the_papers_title_section_and_figure()
    {
        _markdown.Should().Contain("> Validation accuracy lags train accuracy.\n\n"
                + "Source: Grokking: Generalization beyond overfitting on small algorithmic datasets · section 3.1 · Fig. 1\n\nVerdict: ")
            .And.Contain("Source: Norms &lt;and> weights · section 2, 4.3.2 and the abstract · no figure\n", "a claim without a figure says so");
    }

    [Fact]
    public void Claim_section_has_scope_rule_comparisons_with_flip_points_and_the_control()
    {
        _markdown.Should().Contain("Scope: universal (the paper says it always happens")
            .And.Contain("Rule: validation accuracy >= 0.95 (typical) and delay >= 10000 steps (universal)\n")
            .And.Contain("| Rule | Measured [95 % interval] | Interval | Per seed | Verdict and flip point | Seeds to decide |\n")
            .And.Contain("| delay >= 10000 steps (universal) | 12449 [11187, 13710] steps; worst seed 12000; resolution 100 "
                + "| 95 % Student-t interval of the seed mean | 12000, 12346, 13000 "
                + "| CONFIRMED at >= 10000 steps; confirms at a threshold &lt;= 12000 steps; refutes at a threshold > 12100 steps | — |\n")
            .And.Contain("Control: 'train-as-validation' (the validation curve replaced by the train curve) came out REFUTED, "
                + "as expected: the rule can fail — no delay\n")
            .And.Contain("Control: no control (none declared, or none ran)")
            .And.Contain("Controls: 1 REFUTED (as expected) / 0 CONFIRMED (cannot discriminate) / 0 INCONCLUSIVE (ability to fail unshown) / 1 missing");
    }

    [Fact]
    public void A_control_that_confirmed_flags_the_claim_and_shows_the_rules_verdict_beside_it()
    {
        var undiscriminating = ReportFixtures.Confirmed with
        {
            Verdict = Grokking.Claims.Contracts.Verdict.Inconclusive,
            RuleVerdict = Grokking.Claims.Contracts.Verdict.Confirmed,
            Control = ReportFixtures.Confirmed.Control! with { Verdict = Grokking.Claims.Contracts.Verdict.Confirmed },
        };
        var unshown = ReportFixtures.Refuted with
        {
            Control = ReportFixtures.Confirmed.Control! with { Verdict = Grokking.Claims.Contracts.Verdict.Inconclusive },
        };

        string md = MarkdownReportRenderer.Render(new ReportDocument(ReportFixtures.Environment, [undiscriminating, unshown]));

        md.Should().Contain("| **INCONCLUSIVE (rule: CONFIRMED)** | universal | CONFIRMED: cannot discriminate |")
            .And.Contain("| **REFUTED** | typical | INCONCLUSIVE: ability to fail unshown |")
            .And.Contain("came out CONFIRMED, cannot discriminate: the claim is INCONCLUSIVE whatever its data say")
            .And.Contain("Controls: 0 REFUTED (as expected) / 1 CONFIRMED (cannot discriminate) / 1 INCONCLUSIVE (ability to fail unshown) / 0 missing");
    }
}
