namespace Grokking.Claims;

/// <summary>Finds the repository root (the folder with Grokking.Claims.sln), from the working directory or the binaries.</summary>
public static class RepositoryLocator
{
    public const string Marker = "Grokking.Claims.sln";

    public static string? TryFind()
    {
        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, Marker)))
                {
                    return dir.FullName;
                }
            }
        }

        return null;
    }

    public static string Find() => TryFind()
        ?? throw new DirectoryNotFoundException(
            $"Could not find the repository root ({Marker}) above {Directory.GetCurrentDirectory()} or {AppContext.BaseDirectory}");
}
