namespace Grokking.Configuration;

/// <summary>What toy addition's pair (i, j) is labelled with (Data:ToyLabels).</summary>
public enum ToyLabels
{
    /// <summary>k = (i + j) mod p, p templates: Omnigrok's notebook (addition-landscape.ipynb, out_id = (i + j) % p).</summary>
    SumModulo,

    /// <summary>
    /// k = i + j, 2p - 1 templates: Omnigrok's section 5.1 text ("output label 0 &lt;= k &lt;= 2(p - 1)", Y_k = Dec(E_i + E_j),
    /// k = i + j) and Liu et al.'s (2022) toy code (train_add: out_id = i + j).
    /// </summary>
    Sum,
}
