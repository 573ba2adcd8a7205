namespace Mosh.EndToEnd.Harness;

/// <summary>How to run <c>mosh-server new</c>.</summary>
internal sealed record MoshServerOptions
{
    /// <summary>The address the server binds (-i); tests stay on loopback. Null passes no -i (any address).</summary>
    public string? BindAddress { get; init; } = "127.0.0.1";

    /// <summary>UDP port (-p); null lets the server pick from 60001..60999.</summary>
    public int? Port { get; init; }

    /// <summary>The command the server runs in its pty (after --); null runs the login shell.</summary>
    public IReadOnlyList<string>? Command { get; init; } = TestShell.Command;

    /// <summary>Environment on top of the test's (LANG=C.UTF-8 unless overridden); a null value unsets.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>More arguments after <c>new</c>, e.g. "-v" (the log then goes to <see cref="MoshServer.Log"/>)
    /// or "-c", "256".</summary>
    public IReadOnlyList<string> ExtraArguments { get; init; } = [];

    /// <summary>A command the server is run through, e.g. <c>ip netns exec NAME</c> (<see cref="NetworkNamespace.Exec"/>).</summary>
    public IReadOnlyList<string> Launcher { get; init; } = [];
}
