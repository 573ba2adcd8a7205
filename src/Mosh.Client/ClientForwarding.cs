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
/// <remarks>
/// On a lossy link the upload adapts like the server's download (<see cref="AdaptiveStreamBudget"/>): a frame
/// carries at most the budget's bytes of stream events beyond the server's state (<see cref="UserStream.FrameFor"/>),
/// events and reads are cut to it, and at most twice the budget is unacknowledged, so a keystroke still waits behind
/// no more than about two frames.
/// </remarks>
internal sealed class ClientForwarding : IDisposable
{
    /// <summary>Stream bytes the user stream may hold unacknowledged.</summary>
    public const int UserStreamBudget = 64 * 1024;

    private readonly StreamMultiplexer _mux;
    private readonly AdaptiveStreamBudget _budget = new();
    private readonly Action<string> _report;
    private bool _decided;
    private ulong _missedSeen;

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

    /// <summary>The server will be asked to listen (<c>-R</c>, <c>-A</c>): announced, so it starts the application after.</summary>
    public bool AsksServerToListen => RemoteForwards.Count > 0 || Agent is not null;

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

        if (Inbox.Missed != _missedSeen)
        {
            // A gap in the server's stream log (never from a correct server): the open streams lost bytes.
            _report($"forwarding: {Inbox.Missed - _missedSeen} bytes from the server were lost; its forwarded connections were reset.");
            _missedSeen = Inbox.Missed;
            _mux.ResetStreams("forwarded data from the server was lost");
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
        _mux.OutgoingRoom = Math.Max(0, Math.Min(UserStreamBudget, 2 * _budget.Budget) - current.StreamBytes);
        _mux.ReadLimit = _budget.Budget;
        _mux.Service(returned);
        Flush(current);
    }

    /// <summary>
    /// Takes the transport sender's counters after a loop turn (a retransmission timeout halves the frame budget, an
    /// acknowledged state grows it) and hands the budget to the state the sender cuts frames from.
    /// </summary>
    public void AdaptToLink(long timeouts, ulong acknowledgedStateNum, UserStream current) =>
        current.FrameBudget = _budget.Update(timeouts, acknowledgedStateNum);

    /// <summary>Moves the frames produced into the user stream, as events of at most the frame budget (whole entries).</summary>
    private void Flush(UserStream current)
    {
        ReadOnlySpan<byte> pending = _mux.Outgoing;
        while (!pending.IsEmpty)
        {
            int length = 0;
            ReadOnlySpan<byte> rest = pending;
            while (StreamFramesMessage.TryReadEntry(ref rest, out _, out int entrySize)
                && (length == 0 || length + entrySize <= _budget.Budget))
            {
                length += entrySize;
            }

            length = length == 0 ? pending.Length : length; // (the multiplexer writes only whole entries)
            current.PushStreamFrames(pending[..length]);
            pending = pending[length..];
        }

        _mux.ClearOutgoing();
    }

    public void Dispose() => _mux.Dispose();
}
