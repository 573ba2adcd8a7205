namespace Mosh.EndToEnd.Harness;

/// <summary>Runs a mosh wrapper (upstream's perl script or ours) in a tmux pane, bootstrapping over the
/// <see cref="SshServer"/> fixture as root@127.0.0.1.</summary>
internal static class MoshWrapper
{
    /// <param name="wrapper">The wrapper executable.</param>
    /// <param name="sshd">The server it reaches with <c>--ssh=</c>.</param>
    /// <param name="command">Remote command after <c>--</c>; null runs the login shell.</param>
    /// <param name="clientPath">Passed as <c>--client=</c> (the local mosh-client), e.g. for interop runs.</param>
    /// <param name="serverPath">Passed as <c>--server=</c> (the remote mosh-server).</param>
    /// <param name="extraArguments">More wrapper options, before the destination.</param>
    public static Task<TmuxSession> StartAsync(
        string wrapper,
        SshServer sshd,
        IReadOnlyList<string>? command = null,
        string? clientPath = null,
        string? serverPath = null,
        IReadOnlyList<string>? extraArguments = null,
        TmuxOptions? options = null)
    {
        var argv = new List<string> { wrapper, $"--ssh={sshd.ClientCommandLine}" };
        if (clientPath is not null)
        {
            argv.Add($"--client={clientPath}");
        }
        if (serverPath is not null)
        {
            argv.Add($"--server={serverPath}");
        }
        argv.AddRange(extraArguments ?? []);
        argv.Add(SshServer.Destination);
        if (command is not null)
        {
            argv.Add("--");
            argv.AddRange(command);
        }
        return TmuxSession.StartAsync(argv, options);
    }
}
