using System.Buffers;
using BenchmarkDotNet.Attributes;
using Mosh.Network;
using Mosh.Protobufs;
using Mosh.StateSync;

namespace Mosh.Benchmarks.StateSync;

/// <summary>
/// State synchronisation without the wire: one keystroke's whole round (client diff and instruction, server rebuild
/// and consumption, the server's delayed ack and the client trimming its queue), and a 16 KiB paste's diff and apply.
/// </summary>
[MemoryDiagnoser]
public class StateSyncBenchmarks
{
    private SteppedClock _clock = null!;
    private Transport<UserStream, UserStream> _client = null!;
    private Transport<UserStream, UserStream> _server = null!;
    private readonly ArrayBufferWriter<byte> _remoteDiff = new();
    private readonly ArrayBufferWriter<byte> _pasteDiff = new(32 * 1024);
    private UserStream _paste = null!;
    private readonly UserStream _empty = new();
    private readonly UserStream _applied = new();
    private byte _key;

    [GlobalSetup]
    public void Setup()
    {
        _clock = new SteppedClock();
        var toServer = new DirectLink();
        var toClient = new DirectLink();
        _client = new Transport<UserStream, UserStream>(new UserStream(), new UserStream(), toServer, toServer, _clock, new Random(1))
        {
            SendMinDelay = TransportConstants.CLIENT_SEND_MINDELAY,
        };
        _server = new Transport<UserStream, UserStream>(new UserStream(), new UserStream(), toClient, toClient, _clock, new Random(2));
        toServer.Peer = _server;
        toClient.Peer = _client;

        byte[] bytes = new byte[16 * 1024];
        new Random(3).NextBytes(bytes);
        _paste = new UserStream();
        _paste.PushKeystrokes(bytes);
    }

    [Benchmark]
    public void KeystrokeRound()
    {
        _client.CurrentState.PushKeystroke(_key++);
        _ = _client.WaitTime();
        _clock.Now += 100;
        _client.Tick();
        _remoteDiff.ResetWrittenCount();
        _server.GetRemoteDiff(_remoteDiff);
        _clock.Now += TransportConstants.ACK_DELAY;
        _server.Tick();
    }

    [Benchmark]
    public void PasteDiffAndApply()
    {
        _pasteDiff.ResetWrittenCount();
        _paste.DiffFrom(_empty, _pasteDiff);
        _applied.Clear();
        _ = _applied.TryApply(_pasteDiff.WrittenSpan);
    }

    private sealed class SteppedClock : IClock
    {
        public long Now { get; set; } = 1_000_000;

        public long NowMilliseconds => Now;
    }

    /// <summary>Hands each instruction straight to the peer transport: a perfect network with zero delay.</summary>
    private sealed class DirectLink : ITransportConnection, IInstructionSink
    {
        public Transport<UserStream, UserStream> Peer { get; set; } = null!;

        public double SmoothedRoundTripTime => 40;

        public int RetransmissionTimeout => 100;

        public bool HasRemoteAddress => true;

        public void ReportRoundTripSuccess(long timestamp)
        {
        }

        public void Send(in TransportInstruction instruction) => _ = Peer.Receive(in instruction);
    }
}
