using System.Diagnostics;
using System.Text;

namespace Mosh.EndToEnd.Harness;

/// <summary>A process started by the test. Output is captured as it arrives; disposal kills the process tree.</summary>
internal sealed class RunningProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder stdout = new();
    private readonly StringBuilder stderr = new();
    private readonly TaskCompletionSource stdoutClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource stderrClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal RunningProcess(Process process, string commandLine)
    {
        this.process = process;
        CommandLine = commandLine;
    }

    public string CommandLine { get; }

    public int Pid => process.Id;

    public bool HasExited => process.HasExited;

    public int ExitCode => process.ExitCode;

    public string Stdout
    {
        get
        {
            lock (stdout)
            {
                return stdout.ToString();
            }
        }
    }

    public string Stderr
    {
        get
        {
            lock (stderr)
            {
                return stderr.ToString();
            }
        }
    }

    internal void BeginCapture()
    {
        process.OutputDataReceived += (_, e) => Append(stdout, stdoutClosed, e.Data);
        process.ErrorDataReceived += (_, e) => Append(stderr, stderrClosed, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    private static void Append(StringBuilder buffer, TaskCompletionSource closed, string? line)
    {
        if (line is null)
        {
            closed.TrySetResult();
            return;
        }
        lock (buffer)
        {
            buffer.Append(line).Append('\n');
        }
    }

    /// <summary>Waits for the process to exit and its output pipes to drain. A grandchild that keeps the
    /// pipes open does not block beyond the timeout: the exit alone then counts.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return process.HasExited;
        }
        return true;
    }

    /// <summary>Polls until the captured stdout/stderr satisfies the predicate.</summary>
    public Task WaitForOutputAsync(Func<string, bool> predicate, TimeSpan timeout, string what) =>
        Poll.UntilAsync(() => predicate(Stdout + Stderr), timeout, () => $"{what} from `{CommandLine}`; output so far:\n{Stdout}{Stderr}");

    /// <summary>Kills the process and everything it spawned (that is still its descendant).</summary>
    public void Kill()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        await WaitForExitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        process.Dispose();
    }
}
