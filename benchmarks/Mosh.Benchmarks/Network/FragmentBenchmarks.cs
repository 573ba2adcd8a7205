using BenchmarkDotNet.Attributes;
using Mosh.Network;
using Mosh.Protobufs;

namespace Mosh.Benchmarks.Network;

/// <summary>Fragmenting (serialize + deflate + cut) and reassembling (collect + inflate + parse), without crypto.</summary>
[MemoryDiagnoser]
public class FragmentBenchmarks
{
    private Compressor _compressor = null!;
    private Fragmenter _fragmenter = null!;
    private FragmentAssembly _assembly = null!;
    private byte[] _diff = null!;
    private byte[][] _fragments = null!;
    private readonly byte[] _buffer = new byte[NetworkConstants.RECEIVE_MTU];

    [Params(100, 20000)]
    public int DiffBytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _compressor = new Compressor();
        _fragmenter = new Fragmenter(_compressor);
        _assembly = new FragmentAssembly(_compressor);
        _diff = new byte[DiffBytes];
        var random = new Random(3);
        for (int i = 0; i < _diff.Length; i++)
        {
            _diff[i] = (byte)(random.Next(4) == 0 ? random.Next(256) : 'a' + (i % 26)); // partly compressible
        }

        FragmentBatch batch = Make();
        _fragments = new byte[batch.Count][];
        for (int i = 0; i < batch.Count; i++)
        {
            _fragments[i] = new byte[batch[i].EncodedLength];
            batch[i].WriteTo(_fragments[i]);
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _compressor.Dispose();

    private FragmentBatch Make() => _fragmenter.MakeFragments(
        new TransportInstruction { ProtocolVersion = 2, OldNum = 1, NewNum = 2, AckNum = 3, ThrowawayNum = 1, Diff = _diff, Chaff = "chaff"u8 },
        NetworkConstants.FragmenterMtu(NetworkConstants.IPV4_SEND_MTU));

    [Benchmark]
    public int Fragment()
    {
        FragmentBatch batch = Make();
        int total = 0;
        for (int i = 0; i < batch.Count; i++)
        {
            total += batch[i].WriteTo(_buffer);
        }

        return total;
    }

    [Benchmark]
    public int Assemble()
    {
        // Reverse order: exercises the out-of-order path for multi-fragment instructions.
        for (int i = _fragments.Length - 1; i >= 0; i--)
        {
            _ = Mosh.Network.Fragment.TryParse(_fragments[i], out Fragment fragment);
            if (_assembly.Add(fragment) && _assembly.TryTakeInstruction(out TransportInstruction instruction))
            {
                return instruction.Diff.Length;
            }
        }

        return -1;
    }
}
