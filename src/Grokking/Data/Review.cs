namespace Grokking.Data;

/// <summary>One IMDb review: its text as stored (HTML line breaks "&lt;br /&gt;" included) and its sentiment, 1 positive, 0 negative.</summary>
public sealed record Review(string Text, int Label);
