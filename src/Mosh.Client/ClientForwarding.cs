using Mosh.Forwarding;
using Mosh.Protobufs;
using Mosh.StateSync;
using Mosh.Util;

namespace Mosh.Client;

/// <summary>
/// The client's side of forwarding: <c>-L</c> listeners bound at start, their connections carried as streams once
/// the server has answered the streams capability; then the server is asked to listen for <c>-R</c> and to serve the
/// agent socket (<c>-A</c>), and the streams it opens for them are connected here to what the user named (anything
/// else is reset by the multiplexer). Frames from the server arrive through the remote state's
/// <see cref="StreamInbox"/>; frames to the server become events of the user stream, at most
/// <see cref="UserStreamBudget"/> bytes unacknowledged so keystrokes never queue behind a bulk upload.
/// </summary>
internal sealed class ClientForwarding : IDisposable
{
    /// <summary>Stream bytes the user stream may hold unacknowledged.</summary>
    public const int UserStreamBudget = 64 * 1024;

    private readonly StreamMultiplexer _mux;
    private readonly Action<string> _report;
    private bool _decided;

    /// <param name="forwards"><c>-L</c> specs.</param>
    /// <param name="remoteForwards"><c>-R</c> specs: the server listens, we connect to their host:hostport.</param>
    /// <param name="agent"><c>-A</c>: the local agent socket to carry the server's agent connections to ("" when the user
    /// asked but SSH_AUTH_SOCK is unset here); null without <c>-A</c>.</param>
    public ClientForwarding(IReadOnlyList<ForwardSpec> forwards, Action<string> report,
        IReadOnlyList<ForwardSpec>? remoteForwards = null, string? agent = null)
    {
        _report = report;
        _mux = new StreamMultiplexer(isClient: true, report);
        Forwards = forwards;
        RemoteForwards = remoteForwards ?? [];
        Agent = agent;
    }

    public IReadOnlyList<ForwardSpec> Forwards { get; }

    public IReadOnlyList<ForwardSpec> RemoteForwards { get; }

    public string? Agent { get; }

    /// <summary>The user asked for forwarding (only then is the capability announced).</summary>
    public bool Requested => Forwards.Count > 0 || RemoteForwards.Count > 0 || Agent is not null;

    public StreamInbox Inbox { get; } = new();

    public int DescriptorCount => _mux.DescriptorCount;

    /// <summary>Binds the listeners; a port that cannot be bound is reported and skipped.</summary>
    public void Start()
    {
        foreach (ForwardSpec spec in Forwards)
        {
            _ = _mux.Listen(spec);
        }
    }

    /// <summary>After network input: learns whether the server takes streams, and hands it the frames that arrived.</summary>
    public void AfterReceive(CompleteTerminal remote, ulong remoteStateNum, UserStream current)
    {
        if (!Requested)
        {
            return;
        }

        if (!_decided && (remote.Capabilities is not null || remoteStateNum != 0))
        {
            // A hello, or a screen without one (upstream's server, or one without forwarding): decided either way.
            _decided = true;
            _mux.Enabled = remote.Capabilities is { } capabilities && (capabilities & WireCapabilities.Streams) != 0;
            if (_mux.Enabled)
            {
                AskServer();
            }
            else
            {
                _report("The server does not support forwarding (-L, -R, -A); the session continues without it.");
                _mux.StopListening();
            }

            Flush(current);
        }

        if (!Inbox.Pending.IsEmpty)
        {
            _mux.Receive(Inbox.Pending);
            Inbox.Clear();
            Flush(current);
        }
    }

    /// <summary>Sends the listener requests: one per <c>-R</c> spec (numbers 1, 2, ...), then the agent, then their end.</summary>
    private void AskServer()
    {
        uint number = 1;
        foreach (ForwardSpec spec in RemoteForwards)
        {
            _mux.RequestRemote(number++, ForwardSpec.FormatTarget(spec.BindAddress, spec.Port), new ForwardTarget(spec.Host, spec.HostPort));
        }

        if (Agent is { Length: > 0 } agentSocket)
        {
            _mux.RequestRemote(number, StreamMultiplexer.AgentRequest, ForwardTarget.Unix(agentSocket));
        }
        else if (Agent is not null)
        {
            _report("agent forwarding: SSH_AUTH_SOCK is not set here, so there is no agent to forward.");
        }

        _mux.EndRequests(); // so the server need not hold agent connections for a client that will not ask
    }

    public int AddPollDescriptors(Span<PollDescriptor> descriptors, int start) => _mux.AddPollDescriptors(descriptors, start);

    public void Service(ReadOnlySpan<PollDescriptor> returned, UserStream current)
    {
        _mux.OutgoingRoom = Math.Max(0, UserStreamBudget - current.StreamBytes);
        _mux.Service(returned);
        Flush(current);
    }

    private void Flush(UserStream current)
    {
        if (!_mux.Outgoing.IsEmpty)
        {
            current.PushStreamFrames(_mux.Outgoing);
            _mux.ClearOutgoing();
        }
    }

    public void Dispose() => _mux.Dispose();
}
