using System.Collections.Concurrent;
using System.Diagnostics;
using Grokking.Claims.Contracts;
using Grokking.Configuration;

namespace Grokking.Claims;

/// <summary>
/// Whether the data an experiment declares (<see cref="DataRequirement"/>) are on this machine. When they are missing
/// from the directory their package installs them into, the repository's <see cref="Script"/> is run for the package,
/// once per process, so that 'grokking verify' and 'dotnet test' obtain them on a fresh machine the way .ci/run does;
/// the script decides whether this user may install (root or passwordless sudo, apt-get, GROKKING_NO_INSTALL unset)
/// and its output is shown on the log. Data still missing are a <see cref="DataShortage"/>, never an error.
/// </summary>
/// <param name="repositoryRoot">The checkout whose <see cref="Script"/> installs packages.</param>
/// <param name="locations">The caller's settings; the requirement's key, when set there, says where the data are.</param>
/// <param name="log">Where the install's output goes (the console of 'grokking verify').</param>
public sealed class DataSupply(string repositoryRoot, IReadOnlyDictionary<string, string?> locations, TextWriter? log = null)
{
    /// <summary>The one script that installs the project's Debian packages (also called by .ci/run).</summary>
    public const string Script = "tools/install-packages";

    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(10);

    /// <summary>One install attempt per script and package in a process: a second claim reads its outcome.</summary>
    private static readonly ConcurrentDictionary<string, Lazy<string>> Attempts = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, string?> Locations => locations;

    /// <summary>What the experiment (resolved to <paramref name="options"/>) lacks; null when it declares no data or has them.</summary>
    public DataShortage? Check(ExperimentDefinition experiment, GrokkingOptions options)
    {
        if (experiment.DataOrBase is not { } data)
        {
            return null;
        }

        string directory = DirectoryOf(data, options);
        if (directory.Length == 0)
        {
            return new DataShortage(experiment.Name, $"{experiment.Name} needs data that no package holds: {data.Key} is not set", data.Fix);
        }

        string? missing = Missing(data, directory);
        if (missing is null)
        {
            return null;
        }

        string attempt;
        if (data.UserSupplied)
        {
            attempt = "no package installs them";
        }
        else if (PathsEqual(directory, data.Directory))
        {
            attempt = Obtain(data.Package);
            missing = Missing(data, directory);
            if (missing is null)
            {
                return null;
            }
        }
        else
        {
            attempt = $"not installed: {data.Key} points away from {data.Directory}, where {data.Package} puts them";
        }

        return new DataShortage(experiment.Name, $"{experiment.Name} needs {missing} ({data.Key}); {attempt}", data.Fix);
    }

    /// <summary>The first required file absent from the directory, as "'dir' has no NAME (or NAME.gz)"; null when all are there.</summary>
    public static string? Missing(DataRequirement data, string directory)
    {
        string? absent = data.Files.FirstOrDefault(f => !File.Exists(Path.Combine(directory, f)) && !File.Exists(Path.Combine(directory, f + ".gz")));
        if (absent is not null)
        {
            return $"'{directory}' to hold {absent} (or {absent}.gz)";
        }

        bool Present(string path) => File.Exists(Path.Combine(directory, path)) || System.IO.Directory.Exists(Path.Combine(directory, path));
        return data.AnyOf.Count == 0 || data.AnyOf.Any(set => set.All(Present))
            ? null
            : $"'{directory}' to hold one of: {string.Join("; or ", data.AnyOf.Select(set => string.Join(", ", set)))}";
    }

    /// <summary>The directory the options name under the requirement's key; the package's when they leave it unset.</summary>
    private static string DirectoryOf(DataRequirement data, GrokkingOptions options)
    {
        var node = System.Text.Json.JsonSerializer.SerializeToNode(options, Training.RunDirectory.Json);
        return JsonLayers.Merge([node]).GetValueOrDefault(data.Key) is { Length: > 0 } set ? set : data.Directory;
    }

    private static bool PathsEqual(string a, string b) =>
        string.Equals(Path.GetFullPath(a).TrimEnd('/'), Path.GetFullPath(b).TrimEnd('/'), StringComparison.Ordinal);

    private string Obtain(string package)
    {
        string script = Path.Combine(repositoryRoot, Script);
        if (!File.Exists(script))
        {
            return $"not installed: there is no {script} to install {package}";
        }

        return Attempts.GetOrAdd($"{script}\n{package}", _ => new Lazy<string>(() => RunScript(script, package))).Value;
    }

    /// <summary>Runs the script for the package, its output line by line to the log; returns what it came to, in a phrase.</summary>
    private string RunScript(string script, string package)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(package);
        var lines = new ConcurrentQueue<string>();
        void Receive(object sender, DataReceivedEventArgs e)
        {
            if (e.Data is { } line)
            {
                lines.Enqueue(line);
                lock (lines)
                {
                    // Both streams call here, on two threads; a writer takes one line at a time.
                    log?.WriteLine(line);
                }
            }
        }

        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += Receive;
        process.ErrorDataReceived += Receive;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(InstallTimeout))
        {
            process.Kill(entireProcessTree: true);
            return $"installing {package} with {Script} took over {InstallTimeout.TotalMinutes:0} minutes and was stopped";
        }

        process.WaitForExit();
        string last = lines.LastOrDefault(l => l.Trim().Length > 0)?.Trim() ?? "(no output)";
        return process.ExitCode == 0
            ? $"{Script} ran for {package}, yet the files are not there ({last})"
            : $"{Script} could not install {package}: {last}";
    }
}
