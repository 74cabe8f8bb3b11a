using Grokking.Report;

namespace Grokking.Tests.Unit.Report;

public sealed class ConsoleSummaryTableTests
{
    [Fact]
    public void Renders_aligned_rows_and_the_counts_line()
    {
        string table = ConsoleSummaryTable.Render(ReportFixtures.Outcomes);

        table.ReplaceLineEndings("\n").Should().Be(
            """
            Claim  Verdict    Control     Title                                 Key measured vs paper
            -----  ---------  ----------  ------------------------------------  -----------------------------------------------------------
            MC_1   CONFIRMED  REFUTED     Memorisation precedes generalisation  val_acc: 0.9912 (paper 1); delay: 12346 steps (paper 10000)
            WN_2   REFUTED    no control  Weight <norm> & friends               weight_norm: NaN
            1 CONFIRMED / 1 REFUTED / 0 INCONCLUSIVE / 0 ERROR / 0 DATA MISSING
            Controls: 1 REFUTED (as expected) / 0 CONFIRMED (cannot discriminate) / 0 INCONCLUSIVE (ability to fail unshown) / 1 missing
            Recovered: cache entry modular-addition-0123456789abcdef was damaged (members.json: content does not match the manifest (SHA-256 differs)); moved to /cache/modular-addition-0123456789abcdef.damaged-20251122T200000; recomputed (read by MC_1)

            """);
    }
}
