using CsCheck;
using Mosh.Network;
using Mosh.Protobufs;

namespace Mosh.Tests.Network;

[TestFixture]
public class FragmentAssemblyTests
{
    private Compressor _compressor = null!;
    private FragmentAssembly _assembly = null!;

    [SetUp]
    public void SetUp()
    {
        _compressor = new Compressor();
        _assembly = new FragmentAssembly(_compressor);
    }

    [TearDown]
    public void TearDown() => _compressor.Dispose();

    /// <summary>Encoded fragments (header + contents) of an instruction, made by a separate fragmenter.</summary>
    private static List<byte[]> FragmentsOf(in TransportInstruction instruction, int mtu, Fragmenter? fragmenter = null)
    {
        using var compressor = new Compressor();
        fragmenter ??= new Fragmenter(compressor);
        FragmentBatch batch = fragmenter.MakeFragments(instruction, mtu);
        var list = new List<byte[]>();
        for (int i = 0; i < batch.Count; i++)
        {
            Fragment f = batch[i];
            var bytes = new byte[f.EncodedLength];
            f.WriteTo(bytes);
            list.Add(bytes);
        }

        return list;
    }

    private bool Add(byte[] wire)
    {
        Assert.That(Fragment.TryParse(wire, out Fragment fragment), Is.True);
        return _assembly.Add(fragment);
    }

    private static byte[] Diff(int length, int seed)
    {
        var diff = new byte[length];
        new Random(seed).NextBytes(diff);
        return diff;
    }

    [Test]
    public void ShuffledDuplicatedFragmentsReassembleTheInstruction()
    {
        Gen.Select(Gen.Int[0, 6000], Gen.Int, Gen.Int[0, 2]).Sample(t =>
        {
            (int length, int seed, int mtuChoice) = t;
            int mtu = new[] { 1224, 1188, 472 }[mtuChoice];
            byte[] diff = Diff(length, seed);
            List<byte[]> fragments = FragmentsOf(FragmenterTests.Sample(7, diff, "zz"u8), mtu);
            var random = new Random(seed);
            var delivery = fragments.Concat(fragments.Where(_ => random.Next(3) == 0)).OrderBy(_ => random.Next()).ToList();

            using var compressor = new Compressor();
            var assembly = new FragmentAssembly(compressor);
            int completions = 0;
            foreach (byte[] wire in delivery)
            {
                Assert.That(Fragment.TryParse(wire, out Fragment fragment), Is.True);
                if (assembly.Add(fragment))
                {
                    completions++;
                    Assert.That(assembly.TryTakeInstruction(out TransportInstruction instruction), Is.True);
                    Assert.That(instruction.NewNum, Is.EqualTo(7UL));
                    Assert.That(instruction.Diff.SequenceEqual(diff), Is.True);
                    Assert.That(instruction.Chaff.ToArray(), Is.EqualTo("zz"u8.ToArray()));
                    break;
                }
            }

            Assert.That(completions, Is.EqualTo(1));
        }, iter: 300, threads: 1);
    }

    [Test]
    public void MissingFragmentKeepsTheInstructionIncomplete()
    {
        List<byte[]> fragments = FragmentsOf(FragmenterTests.Sample(1, Diff(3000, 1), default), 472);
        Assert.That(fragments, Has.Count.GreaterThan(3));
        for (int i = 0; i < fragments.Count; i++)
        {
            if (i != 2)
            {
                Assert.That(Add(fragments[i]), Is.False);
            }
        }

        Assert.That(_assembly.IsComplete, Is.False);
        Assert.That(_assembly.TryTakeInstruction(out _), Is.False);
        Assert.That(Add(fragments[2]), Is.True);
    }

    [Test]
    public void NewInstructionIdDiscardsThePartialAssembly()
    {
        using var compressor = new Compressor();
        var fragmenter = new Fragmenter(compressor);
        List<byte[]> first = FragmentsOf(FragmenterTests.Sample(1, Diff(3000, 1), default), 472, fragmenter);
        List<byte[]> second = FragmentsOf(FragmenterTests.Sample(2, Diff(3000, 2), default), 472, fragmenter);

        Assert.That(Add(first[0]), Is.False);
        Assert.That(Add(second[0]), Is.False, "a different id starts a new assembly");
        foreach (byte[] wire in first.Skip(1))
        {
            Assert.That(Add(wire), Is.False, "first[0] was discarded when second[0] arrived");
        }

        Assert.That(Add(first[0]), Is.True, "the resent first[0] completes the restarted assembly");
        Assert.That(_assembly.TryTakeInstruction(out TransportInstruction instruction), Is.True);
        Assert.That(instruction.NewNum, Is.EqualTo(1UL));
    }

    [Test]
    public void FragmentsBeyondTheFinalOneAreIgnored()
    {
        byte[] payload = [1, 2, 3];
        Assert.That(_assembly.Add(new Fragment(5, 1, isFinal: false, payload)), Is.False);
        Assert.That(_assembly.Add(new Fragment(5, 0, isFinal: true, payload)), Is.False, "final 0 contradicts fragment 1");
        Assert.That(_assembly.Add(new Fragment(5, 0, isFinal: false, payload)), Is.False);
        Assert.That(_assembly.Add(new Fragment(5, 2, isFinal: true, payload)), Is.True);
        Assert.That(_assembly.Add(new Fragment(5, 3, isFinal: false, payload)), Is.True, "fragment 3 beyond the final is ignored");
    }

    [Test]
    public void ASecondDifferentFinalFragmentIsIgnored()
    {
        byte[] payload = [1, 2, 3];
        Assert.That(_assembly.Add(new Fragment(5, 2, isFinal: true, payload)), Is.False);
        Assert.That(_assembly.Add(new Fragment(5, 1, isFinal: true, payload)), Is.False, "final 1 contradicts final 2");
        Assert.That(_assembly.Add(new Fragment(5, 0, isFinal: false, payload)), Is.False, "fragment 1 is still missing");
        Assert.That(_assembly.Add(new Fragment(5, 1, isFinal: false, payload)), Is.True);
    }

    [Test]
    public void ArbitraryFragmentStreamsNeverThrow()
    {
        Gen.Select(Gen.ULong[0, 3], Gen.UShort[0, 40], Gen.Bool, Gen.Byte.Array[0, 60]).Array[1, 80].Sample(stream =>
        {
            using var compressor = new Compressor();
            var assembly = new FragmentAssembly(compressor);
            foreach ((ulong id, ushort number, bool final, byte[] contents) in stream)
            {
                if (assembly.Add(new Fragment(id, number, final, contents)))
                {
                    _ = assembly.TryTakeInstruction(out _);
                }
            }
        }, iter: 500, threads: 1);
    }

    [Test]
    public void CompleteButUndecodableContentsAreRefused()
    {
        Assert.That(_assembly.Add(new Fragment(1, 0, isFinal: true, "not zlib"u8)), Is.True);
        Assert.That(_assembly.TryTakeInstruction(out _), Is.False);
    }

    [Test]
    public void DuplicateOfAnAssembledInstructionAssemblesAgainLikeUpstream()
    {
        List<byte[]> fragments = FragmentsOf(FragmenterTests.Sample(4, "x"u8, default), 1224);
        Assert.That(Add(fragments[0]), Is.True);
        Assert.That(_assembly.TryTakeInstruction(out TransportInstruction first), Is.True);
        Assert.That(first.NewNum, Is.EqualTo(4UL));
        Assert.That(Add(fragments[0]), Is.True);
        Assert.That(_assembly.TryTakeInstruction(out TransportInstruction again), Is.True);
        Assert.That(again.NewNum, Is.EqualTo(4UL));
    }

    [Test]
    public void HostileFragmentStreamStaysWithinTheMemoryBound()
    {
        byte[] contents = new byte[2000];
        int largest = 0;
        for (int i = 0; i < 4000; i++)
        {
            _ = _assembly.Add(new Fragment(9, (ushort)i, isFinal: false, contents));
            largest = Math.Max(largest, _assembly.BufferedLength);
        }

        // 4000 * 2000 bytes exceeds the bound, so the assembly was abandoned on the way and restarted.
        Assert.That(largest, Is.LessThanOrEqualTo(FragmentAssembly.MaxAssemblyLength));
        Assert.That(_assembly.BufferedLength, Is.LessThan(4000 * 2000 - FragmentAssembly.MaxAssemblyLength));
        Assert.That(FragmentAssembly.MaxAssemblyLength, Is.LessThan(5_000_000));
    }
}
