using System.Text;
using BenchmarkDotNet.Attributes;
using Mosh.Crypto;
using Mosh.Network;
using Mosh.Protobufs;

namespace Mosh.Benchmarks.Network;

/// <summary>
/// The whole per-datagram wire path, both directions: host diff -> HostMessage -> TransportInstruction -> zlib ->
/// fragments -> sealed datagrams, and datagrams -> open -> assemble -> inflate -> parse -> HostMessage walk.
/// </summary>
[MemoryDiagnoser]
public class DatagramPathBenchmarks
{
    private const int Mtu = NetworkConstants.IPV4_SEND_MTU;

    private CryptoSession _serverSession = null!;
    private CryptoSession _clientSession = null!;
    private PacketCodec _server = null!;
    private PacketCodec _client = null!;
    private Compressor _sendCompressor = null!;
    private Compressor _receiveCompressor = null!;
    private Fragmenter _fragmenter = null!;
    private FragmentAssembly _assembly = null!;
    private byte[] _diff = null!;
    private readonly byte[] _chaff = new byte[16];
    private readonly byte[] _datagram = new byte[NetworkConstants.RECEIVE_MTU];
    private readonly byte[] _plaintext = new byte[NetworkConstants.RECEIVE_MTU];
    private byte[][] _sealed = null!;
    private ulong _newNum;

    /// <summary>Bytes of terminal output in the host diff: a keystroke echo, and a full 80x24 repaint-sized frame.</summary>
    [Params(64, 16384)]
    public int HostBytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        SessionKey key = SessionKey.Generate();
        _serverSession = new CryptoSession(key);
        _clientSession = new CryptoSession(key);
        _server = new PacketCodec(_serverSession, isServer: true);
        _client = new PacketCodec(_clientSession, isServer: false);
        _sendCompressor = new Compressor();
        _receiveCompressor = new Compressor();
        _fragmenter = new Fragmenter(_sendCompressor);
        _assembly = new FragmentAssembly(_receiveCompressor);

        var text = new StringBuilder();
        var random = new Random(42);
        while (text.Length < HostBytes)
        {
            text.Append(CultureInvariant($"\u001b[{random.Next(1, 25)};{random.Next(1, 81)}H"));
            text.Append("drwxr-xr-x  2 root root 4096 Nov 25 17:42 mosh");
        }

        byte[] hostString = Encoding.ASCII.GetBytes(text.ToString(0, HostBytes));
        HostInstruction instruction = HostInstruction.ForHostBytes(hostString);
        _diff = new byte[instruction.ComputeEncodedSize()];
        _ = instruction.TryWriteTo(_diff, out _);
        random.NextBytes(_chaff);

        var datagrams = new List<byte[]>();
        EncodeInto(datagrams);
        _sealed = [.. datagrams];
    }

    private static string CultureInvariant(FormattableString s) => FormattableString.Invariant(s);

    [GlobalCleanup]
    public void Cleanup()
    {
        _serverSession.Dispose();
        _clientSession.Dispose();
        _sendCompressor.Dispose();
        _receiveCompressor.Dispose();
    }

    private int EncodeInto(List<byte[]>? keep)
    {
        var instruction = new TransportInstruction
        {
            ProtocolVersion = NetworkConstants.MOSH_PROTOCOL_VERSION,
            OldNum = _newNum,
            NewNum = ++_newNum,
            AckNum = 5,
            ThrowawayNum = 4,
            Diff = _diff,
            Chaff = _chaff.AsSpan(0, (int)(_newNum % 17)),
        };

        FragmentBatch batch = _fragmenter.MakeFragments(instruction, NetworkConstants.FragmenterMtu(Mtu));
        int bytes = 0;
        for (int i = 0; i < batch.Count; i++)
        {
            int payloadLength = batch[i].WriteTo(_datagram.AsSpan(PacketCodec.PayloadOffset));
            int length = _server.SealInPlace(1234, Timestamp16.None, payloadLength, _datagram);
            keep?.Add(_datagram[..length]);
            bytes += length;
        }

        return bytes;
    }

    [Benchmark]
    public int Encode() => EncodeInto(null);

    [Benchmark]
    public int Decode()
    {
        int instructions = 0;
        foreach (byte[] datagram in _sealed)
        {
            if (!_client.TryOpen(datagram, _plaintext, out Packet packet)
                || !Fragment.TryParse(packet.Payload, out Fragment fragment)
                || !_assembly.Add(fragment)
                || !_assembly.TryTakeInstruction(out TransportInstruction instruction)
                || !HostMessage.TryParse(instruction.Diff, out HostMessage message))
            {
                continue;
            }

            foreach (HostInstruction host in message)
            {
                instructions += host.HostString.Length;
            }
        }

        return instructions;
    }
}
