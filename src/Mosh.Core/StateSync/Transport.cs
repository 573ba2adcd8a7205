using System.Buffers;
using Mosh.Network;
using Mosh.Protobufs;
using static Mosh.StateSync.TransportConstants;

namespace Mosh.StateSync;

/// <summary>
/// Both halves of upstream's <c>Network::Transport&lt;MyState, RemoteState&gt;</c> above the datagram layer: our
/// <typeparamref name="TLocal"/> state goes out through the sender, the peer's <typeparamref name="TRemote"/> state is
/// rebuilt by the receiver, and each received instruction's ack drives the sender. The connection drives it:
/// <see cref="Receive"/> for every assembled instruction, <see cref="Tick"/> after waking, sleeping at most
/// <see cref="WaitTime"/> ms in between. (The client is Transport&lt;UserStream, terminal&gt;, the server the reverse.)
/// </summary>
/// <remarks>
/// Over a real connection, build a <see cref="TransportLink"/> on it and pass it as both connection and sink. An
/// event loop then: waits for the sockets (and its other descriptors) at most <see cref="WaitTime"/> ms; calls
/// <see cref="TransportLink.ReceiveWaiting"/> (a <see cref="Mosh.Network.NetworkException"/> there is upstream's
/// "mosh protocol version mismatch", for the caller to report); changes <see cref="CurrentState"/> (the client pushes
/// keystrokes and resizes onto its <see cref="UserStream"/>); then calls <see cref="Tick"/>. The server, whenever
/// <see cref="RemoteStateNum"/> has changed, takes <see cref="GetRemoteDiff"/> and applies it to a scratch
/// <see cref="UserStream"/> (<see cref="UserStream.Clear"/>, <see cref="UserStream.TryApply"/>) whose runs it feeds to
/// the terminal. Quit on <see cref="ShutdownAcknowledged"/>, <see cref="ShutdownAckTimedOut"/> or
/// <see cref="CounterpartyShutdownAckSent"/>. The client sets <see cref="SendMinDelay"/> to
/// <see cref="TransportConstants.CLIENT_SEND_MINDELAY"/>.
/// </remarks>
internal sealed class Transport<TLocal, TRemote>
    where TLocal : class, ISyncState<TLocal>
    where TRemote : class, ISyncState<TRemote>
{
    private readonly ITransportConnection _connection;

    public Transport(TLocal initialLocal, TRemote initialRemote, ITransportConnection connection, IInstructionSink sink,
        IClock clock, Random? chaffRandom = null)
    {
        _connection = connection;
        Sender = new TransportSender<TLocal>(initialLocal, connection, sink, clock, chaffRandom);
        Receiver = new TransportReceiver<TRemote>(initialRemote, clock);
    }

    public TransportSender<TLocal> Sender { get; }

    public TransportReceiver<TRemote> Receiver { get; }

    /// <summary>Our state, changed in place by the application (illegal once shutdown has started).</summary>
    public TLocal CurrentState => Sender.CurrentState;

    public void SetCurrentState(TLocal state) => Sender.SetCurrentState(state);

    /// <summary>The newest state of the peer's, with its number and arrival time.</summary>
    public TimestampedState<TRemote> LatestRemoteState => Receiver.LatestRemoteState;

    public ulong RemoteStateNum => Receiver.RemoteStateNum;

    /// <summary>Sends a diff or an ack if one is due.</summary>
    public void Tick() => Sender.Tick();

    /// <summary>ms until <see cref="Tick"/> next has work (int.MaxValue while the connection has no peer address).</summary>
    public int WaitTime() => Sender.WaitTime();

    /// <summary>
    /// Handles one instruction from the peer. A <see cref="ReceiveOutcome.ProtocolVersionMismatch"/> changes nothing
    /// and is for the caller to report ("mosh protocol version mismatch"); every other outcome is routine.
    /// </summary>
    public ReceiveOutcome Receive(in TransportInstruction instruction)
    {
        if (instruction.ProtocolVersion != NetworkConstants.MOSH_PROTOCOL_VERSION)
        {
            return ReceiveOutcome.ProtocolVersionMismatch;
        }

        Sender.ProcessAcknowledgmentThrough(instruction.AckNum);
        _connection.ReportRoundTripSuccess(Sender.SentStateAckedTimestamp);

        ReceiveOutcome outcome = Receiver.Receive(in instruction);
        if (outcome == ReceiveOutcome.Accepted)
        {
            TimestampedState<TRemote> latest = Receiver.LatestRemoteState;
            Sender.SetAckNum(latest.Num);
            Sender.RemoteHeard(latest.Timestamp);
            if (!instruction.Diff.IsEmpty)
            {
                Sender.SetDataAck();
            }
        }
        else if (outcome == ReceiveOutcome.Duplicate && !instruction.Diff.IsEmpty)
        {
            // A state we hold, sent again with its data: the sender timed out waiting for our acknowledgement, which
            // was lost. Acknowledge again within ACK_DELAY rather than at the next ACK_INTERVAL (3 s), or a sender
            // of bulk data cut into frames goes back and repeats its frame at every frame interval until then.
            Sender.SetDataAck();
        }

        return outcome;
    }

    /// <summary>Writes the diff from the remote state last consumed to the newest (the server's user input).</summary>
    public void GetRemoteDiff(IBufferWriter<byte> output) => Receiver.GetRemoteDiff(output);

    /// <summary>Starts the shutdown handshake; the local state is frozen from now on.</summary>
    public void StartShutdown() => Sender.StartShutdown();

    public bool ShutdownInProgress => Sender.ShutdownInProgress;

    /// <summary>The peer acknowledged our shutdown: quit.</summary>
    public bool ShutdownAcknowledged => Sender.ShutdownAcknowledged;

    /// <summary>16 shutdown instructions or 10 s without the peer's acknowledgement: quit anyway.</summary>
    public bool ShutdownAckTimedOut => Sender.ShutdownAckTimedOut;

    /// <summary>The peer asked to shut down and we have acknowledged it: quit.</summary>
    public bool CounterpartyShutdownAckSent => Sender.CounterpartyShutdownAckSent;

    public bool HasRemoteAddress => _connection.HasRemoteAddress;

    /// <summary>A changed state waits for its send time (<see cref="TransportSender{TState}.ChangeScheduled"/>).</summary>
    public bool ChangeScheduled => Sender.ChangeScheduled;

    /// <summary>The current state holds an interactive change (<see cref="TransportSender{TState}.Expedite"/>).</summary>
    public void Expedite() => Sender.Expedite();

    /// <summary>ms between frames (the prediction engine's latency input).</summary>
    public int SendInterval => Sender.SendInterval;

    /// <summary>
    /// Upstream's verbose mode (<c>set_verbose</c>): <paramref name="link"/>, the link this transport runs over, traces
    /// each fragment sent and state received, and the sender self-checks every diff; both write lines to
    /// <paramref name="write"/>, stamped by <paramref name="clock"/>.
    /// </summary>
    public void TraceTo(TransportLink link, Action<string> write, IClock clock)
    {
        link.Trace = new TransportTrace(write, clock, () => Sender.SendInterval);
        Sender.Verifier = new SentDiffVerifier<TLocal>(write);
    }

    public int SendMinDelay
    {
        get => Sender.SendMinDelay;
        set => Sender.SendMinDelay = value;
    }

    public ulong SentStateAcked => Sender.SentStateAcked;

    public long SentStateAckedTimestamp => Sender.SentStateAckedTimestamp;

    public ulong SentStateLast => Sender.SentStateLast;
}
