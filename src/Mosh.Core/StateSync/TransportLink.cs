using Mosh.Network;
using Mosh.Protobufs;

namespace Mosh.StateSync;

/// <summary>
/// Joins a <see cref="Transport{TLocal, TRemote}"/> to a real <see cref="Connection"/>, as upstream's
/// <c>Network::Transport</c> owns its connection: outgoing instructions are serialised, zlib-compressed, cut into
/// fragments and sent one datagram each; incoming datagrams are reassembled, decompressed and parsed back into
/// instructions for the transport. The connection's RTT estimate, peer address and round-trip bookkeeping are what
/// the transport's timers see. Pass the link as both the transport's connection and its sink.
/// </summary>
/// <remarks>
/// Sending and receiving each have their own zlib state, so an instruction being received (whose spans view the
/// receive side's buffers) is unaffected by anything sent meanwhile. Steady-state traffic allocates nothing here.
/// </remarks>
internal sealed class TransportLink : ITransportConnection, IInstructionSink, IDisposable
{
    /// <summary>Most datagrams one <see cref="ReceiveWaiting"/> call handles, so a flood cannot starve the sender.</summary>
    public const int MaxDatagramsPerReceive = 64;

    private readonly Compressor _sendCompressor = new();
    private readonly Compressor _receiveCompressor = new();
    private readonly Fragmenter _fragmenter;
    private readonly FragmentAssembly _assembly;

    public TransportLink(Connection connection)
    {
        Connection = connection;
        _fragmenter = new Fragmenter(_sendCompressor);
        _assembly = new FragmentAssembly(_receiveCompressor);
    }

    public Connection Connection { get; }

    /// <summary>Upstream's -v trace of fragments sent and states received; null (the default) traces nothing.</summary>
    public TransportTrace? Trace { get; set; }

    public double SmoothedRoundTripTime => Connection.Srtt;

    public int RetransmissionTimeout => Connection.TimeoutMilliseconds;

    public bool HasRemoteAddress => Connection.HasRemoteAddress;

    public void ReportRoundTripSuccess(long timestamp) => Connection.SetLastRoundtripSuccess(timestamp);

    /// <summary>Fragments the instruction for the connection's current MTU and sends each fragment.</summary>
    public void Send(in TransportInstruction instruction)
    {
        FragmentBatch batch = _fragmenter.MakeFragments(instruction, NetworkConstants.FragmenterMtu(Connection.Mtu));
        for (int i = 0; i < batch.Count; i++)
        {
            int length = batch[i].WriteTo(Connection.PayloadBuffer);
            Connection.Send(length);
            Trace?.Sent(instruction, batch[i].InstructionId, batch[i].FragmentNumber, batch[i].Contents.Length,
                Connection.TimeoutMilliseconds, Connection.Srtt);
        }
    }

    /// <summary>
    /// Instructions of our protocol version handed to the transport so far: authentic datagrams that made sense,
    /// whatever the transport then made of them. The server's back-off after receive errors ends with the next one.
    /// </summary>
    public long InstructionsReceived { get; private set; }

    /// <summary>
    /// Reads the datagrams waiting (up to <see cref="MaxDatagramsPerReceive"/>) and hands every instruction they
    /// complete to <paramref name="transport"/>; returns how many it handled. Fragments that are malformed or
    /// complete no valid instruction are dropped, as upstream does. An instruction of another protocol version is
    /// dropped too, and once the batch is done (so that the instructions behind it still arrive now) the call throws
    /// <see cref="NetworkException"/> ("mosh protocol version mismatch"), as upstream's recv() does for each one.
    /// </summary>
    public int ReceiveWaiting<TLocal, TRemote>(Transport<TLocal, TRemote> transport)
        where TLocal : class, ISyncState<TLocal>
        where TRemote : class, ISyncState<TRemote>
    {
        int handled = 0;
        bool versionMismatch = false;
        for (int i = 0; i < MaxDatagramsPerReceive && Connection.TryReceive(out ReadOnlySpan<byte> payload); i++)
        {
            if (!Fragment.TryParse(payload, out Fragment fragment)
                || !_assembly.Add(fragment)
                || !_assembly.TryTakeInstruction(out TransportInstruction instruction))
            {
                continue;
            }

            ReceiveOutcome outcome = transport.Receive(in instruction);
            if (outcome == ReceiveOutcome.ProtocolVersionMismatch)
            {
                versionMismatch = true;
                continue;
            }

            handled++;
            InstructionsReceived++;
            Trace?.Received(instruction, outcome);
        }

        if (versionMismatch)
        {
            throw new NetworkException("mosh protocol version mismatch");
        }

        return handled;
    }

    public void Dispose()
    {
        _sendCompressor.Dispose();
        _receiveCompressor.Dispose();
    }
}
