using System.ComponentModel;
using System.Diagnostics;

namespace Grokking.Training;

/// <summary>
/// The bench's PyTorch comparison: tools/bench-pytorch.py (embedded in this assembly, so the bench needs no checkout) run
/// by the first Python that imports torch, its output read by <see cref="PyTorchOutput"/>.
/// </summary>
public static class PyTorchReference
{
    /// <summary>
    /// python3 on the PATH, then Debian's /usr/bin/python3: python3-torch installs there, where a pyenv or virtualenv
    /// python3 earlier on the PATH hides it.
    /// </summary>
    public static readonly IReadOnlyList<string> DefaultInterpreters = ["python3", "/usr/bin/python3"];

    private const string ScriptResource = "Grokking.Training.bench-pytorch.py";

    private static readonly TimeSpan ImportTimeout = TimeSpan.FromMinutes(2);

    /// <summary>The row the bench prints when no interpreter imports torch; the rest of the bench runs.</summary>
    public static string NotAvailable(string interpreter = "python3") =>
        $"PyTorch: not available ({interpreter} -c 'import torch' failed: install Debian's python3-torch and libopenblas0-pthread)";

    /// <summary>The first of <paramref name="candidates"/> for which <c>-c "import torch"</c> succeeds, or null.</summary>
    public static string? FindInterpreter(IEnumerable<string> candidates) =>
        candidates.Distinct().FirstOrDefault(python => Execute(python, ["-c", "import torch"], 1, ImportTimeout).ExitCode == 0);

    /// <summary>Runs the script for <paramref name="request"/> and reads its output; a failure comes back as problems, never thrown.</summary>
    public static PyTorchRun Run(string interpreter, PyTorchRequest request, TimeSpan timeout)
    {
        string script = Path.Combine(Path.GetTempPath(), $"grokking-bench-pytorch-{Guid.NewGuid():N}.py");
        try
        {
            using (var resource = typeof(PyTorchReference).Assembly.GetManifestResourceStream(ScriptResource)
                ?? throw new InvalidOperationException($"{ScriptResource} is not embedded in the Grokking assembly"))
            using (var file = File.Create(script))
            {
                resource.CopyTo(file);
            }

            var (exitCode, stdout, stderr) = Execute(interpreter, [script, .. request.Arguments()], request.Threads, timeout);
            return PyTorchOutput.Parse(stdout, request, exitCode, stderr);
        }
        finally
        {
            File.Delete(script);
        }
    }

    /// <summary>
    /// Runs a process to its end or <paramref name="timeout"/> (then it is killed: exit code -1). Its BLAS and OpenMP pools
    /// get <paramref name="threads"/> threads, as torch.set_num_threads gives its own. A program that cannot start is exit
    /// code -1 with the reason on stderr.
    /// </summary>
    private static (int ExitCode, string Stdout, string Stderr) Execute(
        string program, IReadOnlyList<string> arguments, int threads, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (string variable in new[] { "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS" })
        {
            start.Environment[variable] = threads.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        try
        {
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
                return (-1, stdout.Result, stderr.Result + $"\nstopped after {timeout.TotalMinutes:0} minutes");
            }

            process.WaitForExit();
            return (process.ExitCode, stdout.Result, stderr.Result);
        }
        catch (Win32Exception e)
        {
            return (-1, "", $"{program} could not be started: {e.Message}");
        }
    }
}
