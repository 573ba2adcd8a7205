using Mosh.Forwarding;
using Mosh.StateSync;
using Mosh.Util;

namespace Mosh.Server;

/// <summary>
/// The server's side of forwarding: it connects where the client's Open frames say, listens where its Listen frames
/// ask (<c>-R</c>) and serves the agent socket to a client that asked for it (<c>-A</c>), and carries the connections
/// as streams. Frames to the client go into the <see cref="StreamLog"/> the terminal state synchronises (at most
/// <see cref="LogBudget"/> bytes unacknowledged); frames from the client arrive as user-stream events.
/// </summary>
internal sealed class ServerForwarding : IDisposable
{
    /// <summary>Stream-log bytes kept unacknowledged before the server stops reading its sockets.</summary>
    public const int LogBudget = 4 * 1024 * 1024;

    /// <summary>Longest the application waits for a client's listener requests (a client of ours that announced them).</summary>
    public const int ListenRequestsWaitMs = 5000;

    private readonly StreamMultiplexer _mux;

    /// <summary>Until when the application waits for the client's ListenEnd; 0 when it does not wait.</summary>
    private long _applicationWaitsUntil;

    /// <param name="agent">The session's agent socket (<c>-A</c>), or null.</param>
    public ServerForwarding(Action<string> report, System.Net.Sockets.Socket? agent = null)
    {
        _mux = new StreamMultiplexer(isClient: false, report);
        if (agent is not null)
        {
            _mux.AddAgentListener(agent);
        }
    }

    public StreamLog Log { get; } = new();

    public int DescriptorCount => _mux.DescriptorCount;

    /// <summary>
    /// The current client announced whether it uses streams (its hello; false also for a client without a hello).
    /// Any previous client's streams end; without streams this client will not ask for the agent either.
    /// </summary>
    public void Enable(bool enabled)
    {
        NewClient();
        _mux.Enabled = enabled;
        if (!enabled)
        {
            _mux.DeclineAgent();
        }
    }

    /// <summary>
    /// The client announced listener requests (<c>-R</c>, <c>-A</c>) to follow our hello: the application is not started
    /// until they are served (its ListenEnd) or <see cref="ListenRequestsWaitMs"/> passed, so that its first command
    /// can reach them. Only with streams on.
    /// </summary>
    public void AwaitListenRequests(long now) =>
        _applicationWaitsUntil = _mux.Enabled && !_mux.RequestsEnded ? now + ListenRequestsWaitMs : 0;

    /// <summary>Whether the application's start waits for the client's listener requests.</summary>
    public bool ApplicationWaits(long now)
    {
        if (_applicationWaitsUntil != 0 && (_mux.RequestsEnded || !_mux.Enabled || now >= _applicationWaitsUntil))
        {
            _applicationWaitsUntil = 0;
        }

        return _applicationWaitsUntil != 0;
    }

    /// <summary>
    /// A new client attached and has not announced itself yet: the previous client's streams end, and agent
    /// connections wait (bounded) for the new one to say whether it wants them.
    /// </summary>
    public void NewClient()
    {
        _mux.ResetAll();
        Log.DropBefore(Log.End); // the previous client's frames mean nothing to this one
        _mux.Enabled = false;
    }

    /// <summary>Milliseconds until forwarding has something to do without any socket event (a waiting agent connection gives up).</summary>
    public int WaitTime(long now) =>
        _applicationWaitsUntil == 0 ? _mux.WaitTime(now)
            : Math.Min(_mux.WaitTime(now), (int)Math.Clamp(_applicationWaitsUntil - now, 0, int.MaxValue));

    public void Receive(ReadOnlySpan<byte> entries)
    {
        if (_mux.Enabled)
        {
            _mux.Receive(entries);
        }
    }

    public int AddPollDescriptors(Span<PollDescriptor> descriptors, int start) => _mux.AddPollDescriptors(descriptors, start);

    public void Service(ReadOnlySpan<PollDescriptor> returned)
    {
        _mux.OutgoingRoom = Math.Max(0, LogBudget - Log.Length);
        _mux.Service(returned);
    }

    /// <summary>Moves the frames produced into the log; true when the state changed (the session snapshots it).</summary>
    public bool Flush()
    {
        if (_mux.Outgoing.IsEmpty)
        {
            return false;
        }

        Log.Append(_mux.Outgoing);
        _mux.ClearOutgoing();
        return true;
    }

    public void Dispose() => _mux.Dispose();
}
