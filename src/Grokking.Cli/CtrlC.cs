using System.Runtime.InteropServices;

namespace Grokking.Cli;

/// <summary>
/// Turns the first Ctrl-C, or a SIGTERM, into a cancellation (the run checkpoints and exits cleanly) instead of killing
/// the process. SIGTERM matters because a scheduler (Slurm, Kubernetes, CI) or a shell ending a session sends it before
/// it kills, and a background job started by a non-interactive shell has SIGINT ignored from its start, so Ctrl-C's
/// handler never hears from it.
/// </summary>
internal sealed class CtrlC : IDisposable
{
    private readonly CancellationTokenSource source = new();
    private readonly string message;
    private readonly TextWriter error;
    private readonly PosixSignalRegistration? terminate;

    public CtrlC(string message, TextWriter error)
    {
        this.message = message;
        this.error = error;
        Console.CancelKeyPress += OnCancel;
        terminate = OperatingSystem.IsWindows() ? null : PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnTerminate);
    }

    public CancellationToken Token => source.Token;

    public void Dispose()
    {
        Console.CancelKeyPress -= OnCancel;
        terminate?.Dispose();
        source.Dispose();
    }

    private void OnCancel(object? sender, ConsoleCancelEventArgs e)
    {
        e.Cancel = true;
        Interrupt("interrupt");
    }

    /// <summary>The first SIGTERM checkpoints like Ctrl-C; a second one while checkpointing is left to its default (exit).</summary>
    private void OnTerminate(PosixSignalContext context)
    {
        if (source.IsCancellationRequested)
        {
            return;
        }

        context.Cancel = true;
        Interrupt("terminate");
    }

    private void Interrupt(string what)
    {
        source.Cancel();
        error.WriteLine($"\n{what}: {message}");
    }
}
