using System.Globalization;
using System.Text.RegularExpressions;
using Grokking.Configuration;

namespace Grokking.Report;

/// <summary>
/// What <c>grokking report diff A B</c> accepts for A and B, tried in this order: a report.json file (or a report folder
/// holding one), what a user has from two CI artifacts; a history entry's id (<c>12</c> or <c>#12</c>); <c>latest</c> or
/// <c>latest~N</c>, the newest entry at the profile or the N-th before it; a commit (4 to 40 hex digits, a prefix), the
/// newest entry of that commit at the profile.
/// </summary>
public static partial class HistoryReference
{
    public const string Forms = "a report.json (or its folder), a history entry id (12 or #12; digits only are an id), latest, latest~N, or a commit";

    /// <summary>The entry <paramref name="reference"/> names; the history is opened only when it is not a file.</summary>
    public static HistoryEntry Resolve(string reference, Func<HistoryStore> history, Profile profile)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(history);
        string text = reference.Trim();
        if (text.Length == 0)
        {
            throw OptionsException.InvalidValue("report diff", $"an entry is empty; name {Forms}");
        }

        if (File.Exists(text) || Directory.Exists(text))
        {
            return HistoryReportReader.Read(text);
        }

        if (Unnamed(text))
        {
            throw OptionsException.InvalidValue("report diff", $"'{text}' is no file, and not {Forms}");
        }

        var store = history();
        return store.Entries([Id(text, store, profile)])[0];
    }

    /// <summary>Whether the text is none of the history's forms (so a missing history is not opened for a mistyped file name).</summary>
    private static bool Unnamed(string text) =>
        !EntryId().IsMatch(text) && !Latest().IsMatch(text) && !CommitPrefix().IsMatch(text);

    private static long Id(string text, HistoryStore store, Profile profile)
    {
        if (EntryId().Match(text) is { Success: true } id)
        {
            return long.Parse(id.Groups[1].Value, CultureInfo.InvariantCulture);
        }

        var runs = store.Runs(profile);
        if (Latest().Match(text) is { Success: true } latest)
        {
            int back = latest.Groups[1].Success ? int.Parse(latest.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
            return back < runs.Count
                ? runs[runs.Count - 1 - back].Id
                : throw new HistoryInputException(
                    $"{store.FilePath}: '{text}' is past the oldest entry: it holds {runs.Count} at profile {profile.Name}");
        }

        var matching = runs.Where(r => r.Environment.GitCommit.StartsWith(text, StringComparison.OrdinalIgnoreCase)).ToList();
        var commits = matching.Select(r => r.Environment.GitCommit).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (commits.Count > 1)
        {
            throw new HistoryInputException(
                $"{store.FilePath}: commit '{text}' is ambiguous at profile {profile.Name}: "
                + string.Join(", ", commits.Select(ReportText.ShortCommit)));
        }

        return matching.Count > 0
            ? matching[^1].Id
            : throw new HistoryInputException($"{store.FilePath}: no entry of commit '{text}' at profile {profile.Name} (--profile chooses another)");
    }

    [GeneratedRegex(@"^#?(\d{1,18})$")]
    private static partial Regex EntryId();

    [GeneratedRegex(@"^latest(?:~(\d{1,9}))?$")]
    private static partial Regex Latest();

    [GeneratedRegex(@"^[0-9a-fA-F]{4,40}$")]
    private static partial Regex CommitPrefix();
}
