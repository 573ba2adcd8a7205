namespace Mosh.EndToEnd.Prediction;

/// <summary>What a <see cref="TypingSession"/> adds to a plain session: client environment and options, and work run
/// around the typing (started once the prompt shows, checked after the workload, with the client still running).</summary>
internal sealed record TypingOptions
{
    /// <summary>More NAME=value entries for the client (e.g. MOSH_PREDICTION_DISPLAY=never).</summary>
    public IReadOnlyList<string> Environment { get; init; } = [];

    /// <summary>Client options before the address (e.g. <c>-L</c> specs).</summary>
    public IReadOnlyList<string> ClientOptions { get; init; } = [];

    /// <summary>Run once the shell's prompt shows, before the first key.</summary>
    public Func<PtyClient, Task>? OnceReady { get; init; }

    /// <summary>Run after the workload, before the session is torn down.</summary>
    public Func<PtyClient, Task>? BeforeTeardown { get; init; }
}
