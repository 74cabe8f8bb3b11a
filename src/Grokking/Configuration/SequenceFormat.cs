namespace Grokking.Configuration;

/// <summary>
/// How a pair is shown to a transformer (details in <see cref="Data.ModularArithmeticDataset"/>):
/// the papers' "a, b -> c" form is <c>ThreeToken</c>; Nanda's and Omnigrok's "[a, b, =]" is <c>EqualsToken</c>;
/// the "a op b = c" form is <c>FiveToken</c>.
/// </summary>
public enum SequenceFormat
{
    ThreeToken,
    FiveToken,
    EqualsToken,
}
