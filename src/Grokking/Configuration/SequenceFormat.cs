namespace Grokking.Configuration;

/// <summary>
/// How a pair is shown to a transformer (details in <see cref="Data.ModularArithmeticDataset"/>):
/// the papers' "a, b -> c" form is <c>ThreeToken</c>; Nanda's and Omnigrok's "[a, b, =]" is <c>EqualsToken</c>;
/// the "a op b = c" form is <c>FiveToken</c>; Power et al.'s "&lt;eos&gt; a op b = c &lt;eos&gt;" (PG) is <c>EosEquation</c>.
/// </summary>
public enum SequenceFormat
{
    ThreeToken,
    FiveToken,
    EqualsToken,
    EosEquation,
}
