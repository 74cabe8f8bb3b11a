namespace Grokking.Claims.Contracts;

/// <summary>
/// The threshold values at which the same data would give another verdict, so an auditor sees how much the verdict rests
/// on the number the team chose: the claim is CONFIRMED for every threshold on the holding side of
/// <see cref="ConfirmAt"/> (inclusive) and REFUTED for every threshold strictly past <see cref="RefuteAt"/>; between the
/// two it is INCONCLUSIVE (within noise or within the resolution). NaN when no threshold gives that verdict.
/// </summary>
public sealed record FlipPoint(double ConfirmAt, double RefuteAt)
{
    /// <summary>"confirms at >= 0.24, refuted below 0.11" for an at-most rule, in the quantity's unit.</summary>
    public string Describe(Relation relation, string unit)
    {
        string u = unit.Length == 0 ? "" : $" {unit}";
        string confirm = double.IsNaN(ConfirmAt)
            ? "no threshold confirms"
            : $"confirms at a threshold {(relation == Relation.AtMost ? ">=" : "<=")} {Number(ConfirmAt)}{u}";
        string refute = double.IsNaN(RefuteAt)
            ? "no threshold refutes"
            : $"refutes at a threshold {(relation == Relation.AtMost ? "<" : ">")} {Number(RefuteAt)}{u}";
        return $"{confirm}; {refute}";
    }

    /// <summary>
    /// G4, except that step counts (10^4 to 10^7) print whole, as the report prints them: G4 would show 12000 as 1.2E+04
    /// and a flip point at 12,345 steps as 1.235E+04.
    /// </summary>
    internal static string Number(double value) =>
        Math.Abs(value) is >= 1e4 and < 1e7
            ? value.ToString("F0", System.Globalization.CultureInfo.InvariantCulture)
            : value.ToString("G4", System.Globalization.CultureInfo.InvariantCulture);
}
