namespace Mosh.Server;

/// <summary>
/// What a session needs to be listed, attached and killed: its control socket (restarted when its name vanished,
/// e.g. when logind removed XDG_RUNTIME_DIR at the user's last logout), when it started, and the address it binds
/// for a new port.
/// </summary>
internal sealed class SessionControl : IDisposable
{
    /// <summary>How often a session checks that its socket is still reachable by name.</summary>
    public const int RecheckIntervalMs = 60000;

    private readonly int _pid;
    private readonly Func<string, string?> _getEnvironment;
    private readonly Action<string> _complain;
    private long _lastCheck;

    public SessionControl(int pid, string? bindAddress, Func<string, string?> getEnvironment, Action<string> complain, long now)
    {
        _pid = pid;
        BindAddress = bindAddress;
        _getEnvironment = getEnvironment;
        _complain = complain;
        StartedUnixSeconds = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        _lastCheck = now;
        Listener = ControlListener.TryStart(pid, getEnvironment, complain);
    }

    public ControlListener? Listener { get; private set; }

    public long StartedUnixSeconds { get; }

    /// <summary>The -i/-s address of the session, for a socket on a new port.</summary>
    public string? BindAddress { get; }

    /// <summary>ms until <see cref="KeepListening"/> has work.</summary>
    public int WaitTime(long now) => (int)Math.Clamp(RecheckIntervalMs - (now - _lastCheck), 0, RecheckIntervalMs);

    /// <summary>Once a minute: listen again if the socket's name is gone or is no longer a socket.</summary>
    public void KeepListening(long now)
    {
        if (now - _lastCheck < RecheckIntervalMs)
        {
            return;
        }

        _lastCheck = now;
        if (Listener is { } listener && FileStatus.Of(listener.SocketPath) is { IsSocket: true })
        {
            return;
        }

        Listener?.Dispose();
        Listener = ControlListener.TryStart(_pid, _getEnvironment, _complain);
    }

    public void Dispose() => Listener?.Dispose();
}
