namespace Grokking.Configuration;

/// <summary>How a transformer tells positions apart.</summary>
public enum PositionEncoding
{
    /// <summary>A trained position embedding, initialized like the token embedding (MC, PB, Omnigrok).</summary>
    Learned,

    /// <summary>Fixed sines and cosines, not trained (Vaswani et al.; Power et al.'s openai/grok, PG).</summary>
    Sinusoidal,
}
