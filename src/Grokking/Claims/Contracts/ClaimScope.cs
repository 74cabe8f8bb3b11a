namespace Grokking.Claims.Contracts;

/// <summary>
/// How general the paper says its claim is, which decides how seeds are read (issue 25). A universal claim ("it always
/// happens") is refuted by one seed past the threshold by more than the measurement's resolution; a typical claim
/// ("usually", "near chance", a described trend) is decided by the 95 % interval of its seed statistic, and is
/// INCONCLUSIVE "within noise" when that interval straddles the threshold.
/// </summary>
public enum ClaimScope
{
    Universal,
    Typical,
}
