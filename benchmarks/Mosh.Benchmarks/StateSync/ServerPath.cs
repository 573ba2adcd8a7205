using System.Text;
using Mosh.Crypto;
using Mosh.Network;
using Mosh.Protobufs;
using Mosh.StateSync;

namespace Mosh.Benchmarks.StateSync;

/// <summary>
/// The server's whole path for bulk output, per line, from fixed pty bytes to sealed datagrams: emulator (with the
/// scrollback history recording each line that scrolls off, or without history), output snapshots as
/// <see cref="OutputSnapshots"/> takes them in mosh-server, the transport's frames at its pacing (time steps with the
/// input), the diff (<c>Display.NewFrame</c>) and history behind it, protobuf, deflate, fragments and AES-OCB seal.
/// The client acknowledges each state one round trip later. No syscalls: the pty reads, poll and sendmsg are what
/// this leaves out of the whole process (see the README's "Where the server's time goes").
/// </summary>
/// <remarks>
/// Inputs: <c>seq</c>-style lines ("1234567\r\n", what the pty makes of <c>seq</c>) and SGR-coloured lines like
/// <c>make compare</c>'s 20 MB file, in 4 KiB reads (what the pty hands over per read during a flood). The session
/// runs on across invocations (the screen keeps scrolling, the history ring wraps), so this is the steady state.
/// <see cref="EmulatorOnly"/> and <see cref="EmulatorAndHistory"/> split the cost by stage. Run by BenchmarkDotNet
/// (<see cref="ServerPathBenchmarks"/>) and, as a native AOT program like mosh-server, by
/// <see cref="ServerPathRunner"/> (<c>make server-path</c>).
/// </remarks>
public sealed class ServerPath : IDisposable
{
    public const int Lines = 20_000;
    private const int ReadSize = 4096;

    /// <summary>pty reads per millisecond of simulated time: about 12 MB/s, what <c>seq</c> reaches on these machines.</summary>
    private const int ReadsPerMillisecond = 3;

    private const int RoundTripMs = 1;

    private readonly byte[][] _reads;
    private readonly SteppedClock _clock;
    private readonly SealingLink _link;
    private readonly CompleteTerminal _terminal;
    private readonly Transport<CompleteTerminal, UserStream> _transport;
    private readonly OutputSnapshots _snapshots = new();
    private readonly CompleteTerminal _emulatorOnly;
    private readonly CompleteTerminal _emulatorAndHistory;

    public enum Output
    {
        Seq,
        Colour,
    }

    public Output Workload { get; }

    public bool History { get; }

    /// <param name="workload">Which output the pty hands over.</param>
    /// <param name="history">Scrollback history at its default size, announced by the client (our client); off as with -H 0.</param>
    public ServerPath(Output workload, bool history)
    {
        Workload = workload;
        History = history;
        byte[] input = Workload == Output.Seq ? SeqLines() : ColourLines();
        _reads = new byte[(input.Length + ReadSize - 1) / ReadSize][];
        for (int i = 0; i < _reads.Length; i++)
        {
            _reads[i] = input.AsSpan(i * ReadSize, Math.Min(ReadSize, input.Length - i * ReadSize)).ToArray();
        }

        _clock = new SteppedClock();
        _link = new SealingLink(_clock);
        _terminal = NewTerminal();
        _transport = new Transport<CompleteTerminal, UserStream>(_terminal, new UserStream(), _link, _link, _clock, new Random(1));
        _link.Sender = _transport.Sender;
        _emulatorOnly = CompleteTerminal.ForServer(80, 24, history: null);
        _emulatorAndHistory = NewTerminal();

        for (int i = 0; i < 3; i++)
        {
            WholePath(); // the ring full, the rows and buffers at their steady size
        }
    }

    private CompleteTerminal NewTerminal()
    {
        CompleteTerminal terminal = CompleteTerminal.ForServer(80, 24, History ? new HistoryRing(HistoryRing.DefaultCapacity) : null);
        WireCapabilities ours = WireCapabilities.History | WireCapabilities.SessionNotices | WireCapabilities.Streams;
        terminal.AnswerHello(ours, History ? ours : ours & ~WireCapabilities.History);
        return terminal;
    }

    public void Dispose() => _link.Dispose();

    private static byte[] SeqLines()
    {
        var text = new StringBuilder();
        for (int n = 1_000_001; n <= 1_000_000 + Lines; n++)
        {
            text.Append(n).Append("\r\n");
        }

        return Encoding.ASCII.GetBytes(text.ToString());
    }

    private static byte[] ColourLines()
    {
        // As benchmarks/compare-upstream.py's file: 256-colour and basic SGR words, a few wide and non-ASCII ones.
        string[] words = ["mosh", "state", "sync", "terminal", "frame", "diff", "colour", "ssp", "udp", "predict", "λ", "näive", "日本", "→", "≠", "✓"];
        var random = new Random(1234);
        var text = new StringBuilder();
        for (int n = 0; n < Lines; n++)
        {
            text.Append(n.ToString("D7", System.Globalization.CultureInfo.InvariantCulture)).Append(' ');
            int visible = 0;
            while (visible < 70)
            {
                string word = words[random.Next(words.Length)];
                string sgr = random.Next(5) switch
                {
                    0 => $"38;5;{random.Next(256)}",
                    1 => $"3{random.Next(8)}",
                    2 => $"1;3{random.Next(8)}",
                    3 => $"4;9{random.Next(8)}",
                    _ => $"48;5;{random.Next(256)};38;5;{random.Next(256)}",
                };
                text.Append("\e[").Append(sgr).Append('m').Append(word).Append("\e[0m ");
                visible += (word == "日本" ? 2 * word.Length : word.Length) + 1;
            }

            text.Append("\r\n");
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>Everything from the pty bytes to sealed datagrams, as mosh-server's loop runs it.</summary>
    public long WholePath()
    {
        for (int i = 0; i < _reads.Length; i++)
        {
            _terminal.Write(_reads[i]);
            _snapshots.OutputWritten(_transport, _terminal);
            if (i % ReadsPerMillisecond == 0)
            {
                _clock.Now++;
                _link.DeliverAcks();
            }

            _ = _transport.WaitTime();
            _snapshots.BeforeTick(_transport, _terminal);
            _transport.Tick();
        }

        return _link.BytesSent;
    }

    /// <summary>The emulator alone, without history (the first stage of <see cref="WholePath"/>).</summary>
    public void EmulatorOnly()
    {
        foreach (byte[] read in _reads)
        {
            _emulatorOnly.Write(read);
        }
    }

    /// <summary>The emulator with the history recording lines as they scroll off (as <see cref="History"/> says).</summary>
    public void EmulatorAndHistory()
    {
        foreach (byte[] read in _reads)
        {
            _emulatorAndHistory.Write(read);
        }
    }

    private sealed class SteppedClock : IClock
    {
        public long Now { get; set; } = 1_000_000;

        public long NowMilliseconds => Now;
    }

    /// <summary>
    /// Cuts each instruction into fragments, deflated and sealed as mosh-server's link does (no socket), and
    /// acknowledges each state one round trip later as the client would.
    /// </summary>
    private sealed class SealingLink(SteppedClock clock) : ITransportConnection, IInstructionSink, IDisposable
    {
        private readonly CryptoSession _session = new(SessionKey.Generate());
        private readonly Compressor _compressor = new();
        private readonly byte[] _datagram = new byte[NetworkConstants.RECEIVE_MTU];
        private readonly Queue<(long Due, ulong Num)> _acks = new();
        private Fragmenter? _fragmenter;
        private PacketCodec? _codec;

        public TransportSender<CompleteTerminal> Sender { get; set; } = null!;

        public long BytesSent { get; private set; }

        public double SmoothedRoundTripTime => RoundTripMs;

        public int RetransmissionTimeout => 50;

        public bool HasRemoteAddress => true;

        public void ReportRoundTripSuccess(long timestamp)
        {
        }

        public void Send(in TransportInstruction instruction)
        {
            _fragmenter ??= new Fragmenter(_compressor);
            _codec ??= new PacketCodec(_session, isServer: true);
            FragmentBatch batch = _fragmenter.MakeFragments(instruction, NetworkConstants.FragmenterMtu(NetworkConstants.IPV4_SEND_MTU));
            for (int i = 0; i < batch.Count; i++)
            {
                int payloadLength = batch[i].WriteTo(_datagram.AsSpan(PacketCodec.PayloadOffset));
                BytesSent += _codec.SealInPlace(1234, Timestamp16.None, payloadLength, _datagram);
            }

            _acks.Enqueue((clock.Now + RoundTripMs, instruction.NewNum));
        }

        public void DeliverAcks()
        {
            while (_acks.Count > 0 && _acks.Peek().Due <= clock.Now)
            {
                Sender.ProcessAcknowledgmentThrough(_acks.Dequeue().Num);
            }
        }

        public void Dispose()
        {
            _compressor.Dispose();
            _session.Dispose();
        }
    }
}
