using Mosh.Forwarding;
using Mosh.Protobufs;
using Mosh.StateSync;
using Mosh.Util;

namespace Mosh.Client;

/// <summary>
/// The client's side of <c>-L</c> forwarding: listeners bound at start, their connections carried as streams once
/// the server has answered the streams capability. Frames from the server arrive through the remote state's
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

    public ClientForwarding(IReadOnlyList<ForwardSpec> forwards, Action<string> report)
    {
        _report = report;
        _mux = new StreamMultiplexer(isClient: true, report);
        Forwards = forwards;
    }

    public IReadOnlyList<ForwardSpec> Forwards { get; }

    /// <summary>The user asked for forwarding (only then is the capability announced).</summary>
    public bool Requested => Forwards.Count > 0;

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

        if (!_decided && remote.Capabilities is { } capabilities)
        {
            _decided = true;
            _mux.Enabled = (capabilities & WireCapabilities.Streams) != 0;
        }
        else if (!_decided && remoteStateNum != 0)
        {
            _decided = true; // upstream's server (or one without forwarding) answered with a screen and no hello
        }

        if (_decided && !_mux.Enabled && _mux.ListenerCount > 0)
        {
            _report("The server does not support port forwarding; the session continues without it.");
            _mux.StopListening();
        }

        if (!Inbox.Pending.IsEmpty)
        {
            _mux.Receive(Inbox.Pending);
            Inbox.Clear();
            Flush(current);
        }
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
