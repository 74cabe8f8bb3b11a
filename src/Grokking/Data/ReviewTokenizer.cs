using System.Globalization;
using System.Text;

namespace Grokking.Data;

/// <summary>
/// Omnigrok's IMDb preprocessing (its imdb-grokking script, itself a common Kaggle LSTM notebook): each review is
/// lowercased and split on whitespace; each word loses every character that is not a word character or whitespace
/// (re.sub(r"[^\w\s]", "")), then all whitespace, then all digits, so "&lt;br" becomes "br" and "don't" "dont". The
/// vocabulary is the <c>vocabulary</c> most frequent cleaned words of the training reviews that are neither empty nor
/// NLTK stop words, as indices 1..vocabulary (0 pads); encoding keeps a review's words that are in it, in order, and
/// pads on the left with zeros or keeps the first <c>length</c> tokens. Python's str and re classify characters by
/// Unicode category, and so does this class, so accented letters, '½' or '²' are kept and cleaned as Python does.
/// </summary>
public sealed class ReviewTokenizer
{
    private readonly Dictionary<string, int> tokens;

    private ReviewTokenizer(List<string> words)
    {
        Words = words;
        tokens = new Dictionary<string, int>(words.Count, StringComparer.Ordinal);
        for (int k = 0; k < words.Count; k++)
        {
            tokens[words[k]] = k + 1;
        }
    }

    /// <summary>The vocabulary; word k (0-based) has token k + 1.</summary>
    public IReadOnlyList<string> Words { get; }

    public static ReviewTokenizer Fit(IEnumerable<string> trainTexts, int vocabulary)
    {
        ArgumentNullException.ThrowIfNull(trainTexts);
        ArgumentOutOfRangeException.ThrowIfLessThan(vocabulary, 1);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var firstSeen = new List<string>();
        foreach (string word in trainTexts.SelectMany(CleanWords))
        {
            if (word.Length == 0 || EnglishStopWords.Contains(word))
            {
                continue;
            }

            if (counts.TryGetValue(word, out int count))
            {
                counts[word] = count + 1;
            }
            else
            {
                counts[word] = 1;
                firstSeen.Add(word);
            }
        }

        // Python's sorted(Counter, key=counts.get, reverse=True) is stable, and a Counter iterates in first-seen order,
        // so equal counts rank by first occurrence; OrderByDescending is stable too.
        return new ReviewTokenizer(firstSeen.OrderByDescending(w => counts[w]).Take(vocabulary).ToList());
    }

    /// <summary>The review's tokens, left-padded with zeros to <paramref name="length"/>, or its first <paramref name="length"/> tokens.</summary>
    public int[] Encode(string text, int length)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        var kept = CleanWords(text).Select(w => tokens.GetValueOrDefault(w)).Where(t => t > 0).ToList();
        var padded = new int[length];
        int n = Math.Min(kept.Count, length);
        kept.CopyTo(0, padded, length - n, n);
        return padded;
    }

    /// <summary>The cleaned words of a text, empty ones included, before the stop-word filter.</summary>
    public static IEnumerable<string> CleanWords(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return SplitOnWhitespace(text).Select(w => Clean(PythonLower(w)));
    }

    /// <summary>
    /// Python's str.lower(). .NET's invariant lowercasing agrees on every assigned character but one: Python maps U+0130
    /// (capital I with dot) to "i" and a combining dot, and .NET leaves it. Python's final sigma (a word-final capital
    /// sigma lowers to 'ς', not 'σ') is not reproduced; it only touches Greek words.
    /// </summary>
    private static string PythonLower(string word) => word.ToLowerInvariant().Replace("\u0130", "i\u0307", StringComparison.Ordinal);

    /// <summary>
    /// One word after Omnigrok's three substitutions. Removing [^\w\s], then \s, then \d keeps exactly the characters
    /// that are word characters and not decimal digits (\w and \s are disjoint).
    /// </summary>
    public static string Clean(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        var kept = new StringBuilder(word.Length);
        foreach (Rune r in word.EnumerateRunes())
        {
            if (IsWordCharacter(r) && !Rune.IsDigit(r))
            {
                kept.Append(r.ToString());
            }
        }

        return kept.ToString();
    }

    /// <summary>Python's str.split() with no argument: runs of whitespace separate, none at the ends.</summary>
    private static IEnumerable<string> SplitOnWhitespace(string text)
    {
        int start = -1;
        for (int i = 0; i < text.Length; i++)
        {
            if (IsPythonSpace(text[i]))
            {
                if (start >= 0)
                {
                    yield return text[start..i];
                    start = -1;
                }
            }
            else if (start < 0)
            {
                start = i;
            }
        }

        if (start >= 0)
        {
            yield return text[start..];
        }
    }

    // Python's str.isspace (and re's \s) adds the separators U+001C..U+001F to what .NET calls white space; all are in
    // the Basic Multilingual Plane, so a char test suffices.
    private static bool IsPythonSpace(char c) => char.IsWhiteSpace(c) || c is >= '\u001C' and <= '\u001F';

    // Python's \w for str patterns: str.isalnum() (letters and every kind of number, digits included) or '_'.
    private static bool IsWordCharacter(Rune r) => r.Value == '_' || Rune.GetUnicodeCategory(r) is
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
        or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter
        or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber;
}
