namespace Mosh.EndToEnd.Harness;

/// <summary>The outcome of a finished (or timed-out) command.</summary>
internal sealed record ProcessResult(string CommandLine, int ExitCode, string Stdout, string Stderr, bool TimedOut)
{
    /// <summary>Throws with the command's output when it timed out or exited non-zero.</summary>
    public ProcessResult EnsureSuccess()
    {
        if (TimedOut || ExitCode != 0)
        {
            throw new InvalidOperationException(Describe());
        }
        return this;
    }

    public string Describe() =>
        $"`{CommandLine}` {(TimedOut ? "timed out" : $"exited {ExitCode}")}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}
