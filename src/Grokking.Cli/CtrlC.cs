namespace Grokking.Cli;

/// <summary>Turns the first Ctrl-C into a cancellation (the run checkpoints and exits cleanly) instead of killing the process.</summary>
internal sealed class CtrlC : IDisposable
{
    private readonly CancellationTokenSource source = new();
    private readonly string message;
    private readonly TextWriter error;

    public CtrlC(string message, TextWriter error)
    {
        this.message = message;
        this.error = error;
        Console.CancelKeyPress += OnCancel;
    }

    public CancellationToken Token => source.Token;

    public void Dispose()
    {
        Console.CancelKeyPress -= OnCancel;
        source.Dispose();
    }

    private void OnCancel(object? sender, ConsoleCancelEventArgs e)
    {
        e.Cancel = true;
        source.Cancel();
        error.WriteLine($"\ninterrupt: {message}");
    }
}
