namespace Grokking.Claims.Contracts;

/// <summary>Which side of its threshold a decisive quantity must be on for the claim to hold.</summary>
public enum Relation
{
    /// <summary>Holds when the quantity is at most the threshold (value &lt;= threshold).</summary>
    AtMost,

    /// <summary>Holds when the quantity is at least the threshold (value &gt;= threshold).</summary>
    AtLeast,
}

public static class Relations
{
    public static string Symbol(Relation relation) => relation == Relation.AtMost ? "<=" : ">=";

    /// <summary>True when <paramref name="value"/> is on the side of <paramref name="threshold"/> where the claim holds.</summary>
    public static bool Holds(Relation relation, double value, double threshold) =>
        relation == Relation.AtMost ? value <= threshold : value >= threshold;
}
