using System.IO.Compression;
using Mosh.Network;
using Mosh.Protobufs;

namespace Mosh.Tests.Network;

[TestFixture]
public class FragmenterTests
{
    private Compressor _compressor = null!;
    private Fragmenter _fragmenter = null!;
    private const int Mtu = 1224; // IPv4 fragmenter MTU: 1214 bytes of contents

    [SetUp]
    public void SetUp()
    {
        _compressor = new Compressor();
        _fragmenter = new Fragmenter(_compressor);
    }

    [TearDown]
    public void TearDown() => _compressor.Dispose();

    internal static TransportInstruction Sample(ulong newNum, ReadOnlySpan<byte> diff, ReadOnlySpan<byte> chaff) => new()
    {
        ProtocolVersion = NetworkConstants.MOSH_PROTOCOL_VERSION,
        OldNum = newNum - 1,
        NewNum = newNum,
        AckNum = 3,
        ThrowawayNum = 0,
        Diff = diff,
        Chaff = chaff,
    };

    private ulong IdOf(in TransportInstruction instruction, int mtu = Mtu) => _fragmenter.MakeFragments(instruction, mtu).InstructionId;

    [Test]
    public void FirstInstructionIdIsOne()
    {
        Assert.That(_fragmenter.LastInstructionId, Is.Zero);
        Assert.That(IdOf(Sample(1, "d"u8, "c"u8)), Is.EqualTo(1UL));
    }

    [Test]
    public void RetransmittingTheSameInstructionKeepsItsId()
    {
        Assert.That(IdOf(Sample(5, "d"u8, "c"u8)), Is.EqualTo(1UL));
        Assert.That(IdOf(Sample(5, "d"u8, "c"u8)), Is.EqualTo(1UL));
    }

    [Test]
    public void ChangingAnyNumberChaffVersionOrMtuBumpsTheId()
    {
        TransportInstruction baseline = Sample(5, "d"u8, "c"u8);
        Assert.That(IdOf(baseline), Is.EqualTo(1UL));

        TransportInstruction changed = baseline;
        changed.OldNum = 1;
        Assert.That(IdOf(changed), Is.EqualTo(2UL));
        Assert.That(IdOf(baseline), Is.EqualTo(3UL));
        changed = baseline;
        changed.NewNum = 9;
        Assert.That(IdOf(changed), Is.EqualTo(4UL));
        Assert.That(IdOf(baseline), Is.EqualTo(5UL));
        changed = baseline;
        changed.AckNum = 9;
        Assert.That(IdOf(changed), Is.EqualTo(6UL));
        Assert.That(IdOf(baseline), Is.EqualTo(7UL));
        changed = baseline;
        changed.ThrowawayNum = 9;
        Assert.That(IdOf(changed), Is.EqualTo(8UL));
        Assert.That(IdOf(baseline), Is.EqualTo(9UL));
        changed = baseline;
        changed.Chaff = "other"u8;
        Assert.That(IdOf(changed), Is.EqualTo(10UL));
        Assert.That(IdOf(baseline), Is.EqualTo(11UL));
        changed = baseline;
        changed.ProtocolVersion = 1;
        Assert.That(IdOf(changed), Is.EqualTo(12UL));
        Assert.That(IdOf(baseline), Is.EqualTo(13UL));
        Assert.That(IdOf(baseline, 472), Is.EqualTo(14UL));
        Assert.That(IdOf(baseline, 472), Is.EqualTo(14UL));
    }

    [Test]
    public void ChaffBufferIsCopiedNotBorrowed()
    {
        byte[] chaff = [1, 2, 3];
        Assert.That(IdOf(Sample(5, "d"u8, chaff)), Is.EqualTo(1UL));
        chaff[0] = 9;
        Assert.That(IdOf(Sample(5, "d"u8, chaff)), Is.EqualTo(2UL));
    }

    [Test]
    public void FragmentsAreFullSizedExceptTheLastAndCarryTheCompressedInstruction()
    {
        var random = new Random(7);
        byte[] diff = new byte[5000];
        random.NextBytes(diff); // incompressible: five fragments at 1214 bytes each
        TransportInstruction instruction = Sample(2, diff, "ch"u8);
        FragmentBatch batch = _fragmenter.MakeFragments(instruction, Mtu);

        var joined = new List<byte>();
        for (int i = 0; i < batch.Count; i++)
        {
            Fragment fragment = batch[i];
            Assert.That(fragment.InstructionId, Is.EqualTo(1UL));
            Assert.That(fragment.FragmentNumber, Is.EqualTo(i));
            Assert.That(fragment.IsFinal, Is.EqualTo(i == batch.Count - 1));
            if (i < batch.Count - 1)
            {
                Assert.That(fragment.Contents.Length, Is.EqualTo(NetworkConstants.IPV4_FRAGMENT_PAYLOAD));
            }

            joined.AddRange(fragment.Contents.ToArray());
        }

        Assert.That(batch.Count, Is.EqualTo(5));
        using var z = new ZLibStream(new MemoryStream(joined.ToArray()), CompressionMode.Decompress);
        var serialized = new MemoryStream();
        z.CopyTo(serialized);
        var expected = new byte[instruction.ComputeSize()];
        _ = instruction.TryWriteTo(expected, out _);
        Assert.That(serialized.ToArray(), Is.EqualTo(expected));
    }

    [Test]
    public void EmptyDiffStillMakesOneFinalFragment()
    {
        FragmentBatch batch = _fragmenter.MakeFragments(Sample(1, default, default), Mtu);
        Assert.That(batch.Count, Is.EqualTo(1));
        Assert.That(batch[0].IsFinal, Is.True);
        Assert.That(batch[0].Contents.Length, Is.GreaterThan(0));
    }

    [Test]
    public void InstructionNeedingMoreThan32768FragmentsIsRefusedLikeUpstreamsAbort()
    {
        byte[] diff = new byte[40_000];
        new Random(1).NextBytes(diff);
        Assert.That(() => _fragmenter.MakeFragments(Sample(1, diff, default), Fragment.HeaderLength + 1), Throws.InvalidOperationException);
        Assert.That(_fragmenter.MakeFragments(Sample(1, diff, default), Fragment.HeaderLength + 2).Count, Is.LessThanOrEqualTo(32768));
    }

    [Test]
    public void LastAckNumReportsTheMostRecentInstruction()
    {
        TransportInstruction instruction = Sample(1, default, default);
        instruction.AckNum = ulong.MaxValue;
        _ = _fragmenter.MakeFragments(instruction, Mtu);
        Assert.That(_fragmenter.LastAckNum, Is.EqualTo(ulong.MaxValue));
    }
}
