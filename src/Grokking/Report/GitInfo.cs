namespace Grokking.Report;

/// <summary>The checked-out commit, read from .git directly (CI images need not have git on PATH).</summary>
public static class GitInfo
{
    public static string Commit(string repositoryRoot)
    {
        try
        {
            string git = Path.Combine(repositoryRoot, ".git");
            if (File.Exists(git))
            {
                // A worktree: ".git" is a file "gitdir: <path>".
                git = File.ReadAllText(git).Trim()["gitdir:".Length..].Trim();
            }

            string head = File.ReadAllText(Path.Combine(git, "HEAD")).Trim();
            if (!head.StartsWith("ref:", StringComparison.Ordinal))
            {
                return head;
            }

            string reference = head["ref:".Length..].Trim();
            foreach (string dir in new[] { git, CommonDir(git) })
            {
                string loose = Path.Combine(dir, reference);
                if (File.Exists(loose))
                {
                    return File.ReadAllText(loose).Trim();
                }

                string packed = Path.Combine(dir, "packed-refs");
                if (File.Exists(packed))
                {
                    var line = File.ReadLines(packed).FirstOrDefault(l => l.EndsWith(" " + reference, StringComparison.Ordinal));
                    if (line is not null)
                    {
                        return line[..line.IndexOf(' ', StringComparison.Ordinal)];
                    }
                }
            }

            return "unknown";
        }
        catch (IOException)
        {
            return "unknown";
        }
        catch (UnauthorizedAccessException)
        {
            return "unknown";
        }
    }

    private static string CommonDir(string git)
    {
        string common = Path.Combine(git, "commondir");
        return File.Exists(common) ? Path.GetFullPath(Path.Combine(git, File.ReadAllText(common).Trim())) : git;
    }
}
