using System.Buffers;
using CsCheck;
using Google.Protobuf;
using Mosh.Protobufs;
using Mosh.Tests.Protobufs.Oracle;

namespace Mosh.Tests.Protobufs;

[TestFixture]
public class TransportInstructionTests
{
    internal static byte[] Encode(OracleInstruction m)
    {
        var ours = new TransportInstruction();
        if (m.HasProtocolVersion) ours.ProtocolVersion = m.ProtocolVersion;
        if (m.HasOldNum) ours.OldNum = m.OldNum;
        if (m.HasNewNum) ours.NewNum = m.NewNum;
        if (m.HasAckNum) ours.AckNum = m.AckNum;
        if (m.HasThrowawayNum) ours.ThrowawayNum = m.ThrowawayNum;
        if (m.HasDiff) ours.Diff = m.Diff.Span;
        if (m.HasChaff) ours.Chaff = m.Chaff.Span;
        var buffer = new byte[ours.ComputeSize()];
        Assert.That(ours.TryWriteTo(buffer, out int written), Is.True);
        Assert.That(written, Is.EqualTo(buffer.Length));
        return buffer;
    }

    internal static OracleInstruction ToOracle(in TransportInstruction ours)
    {
        var m = new OracleInstruction();
        if (ours.HasProtocolVersion) m.ProtocolVersion = ours.ProtocolVersion;
        if (ours.HasOldNum) m.OldNum = ours.OldNum;
        if (ours.HasNewNum) m.NewNum = ours.NewNum;
        if (ours.HasAckNum) m.AckNum = ours.AckNum;
        if (ours.HasThrowawayNum) m.ThrowawayNum = ours.ThrowawayNum;
        if (ours.HasDiff) m.Diff = ByteString.CopyFrom(ours.Diff);
        if (ours.HasChaff) m.Chaff = ByteString.CopyFrom(ours.Chaff);
        return m;
    }

    [Test]
    public void OurEncodingIsWhatGoogleProtobufParsesAndItselfWouldEmit()
    {
        OracleGen.Instruction.Sample(m =>
        {
            byte[] ours = Encode(m);
            Assert.That(OracleInstruction.Parser.ParseFrom(ours), Is.EqualTo(m));
            Assert.That(ours, Is.EqualTo(m.ToByteArray()));
        }, iter: 2000);
    }

    [Test]
    public void GoogleProtobufEncodingParsesAndReencodesByteIdentical()
    {
        OracleGen.Instruction.Sample(m =>
        {
            byte[] theirs = m.ToByteArray();
            Assert.That(TransportInstruction.TryParse(theirs, out TransportInstruction parsed), Is.True);
            Assert.That(ToOracle(parsed), Is.EqualTo(m));
            var again = new byte[parsed.ComputeSize()];
            Assert.That(parsed.TryWriteTo(again, out _), Is.True);
            Assert.That(again, Is.EqualTo(theirs));
        }, iter: 2000);
    }

    [Test]
    public void UpstreamStyleInstructionHasTheExpectedBytes()
    {
        // What upstream's sender emits for version 2, 0 -> 1, ack 0, throwaway 0, diff "ab", no chaff.
        var inst = new TransportInstruction { ProtocolVersion = 2, OldNum = 0, NewNum = 1, AckNum = 0, ThrowawayNum = 0, Diff = "ab"u8, Chaff = default };
        var buffer = new byte[inst.ComputeSize()];
        Assert.That(inst.TryWriteTo(buffer, out _), Is.True);
        Assert.That(buffer, Is.EqualTo(new byte[] { 0x08, 2, 0x10, 0, 0x18, 1, 0x20, 0, 0x28, 0, 0x32, 2, (byte)'a', (byte)'b', 0x3A, 0 }));
    }

    [Test]
    public void ParsedDiffBorrowsTheInputWithoutCopying()
    {
        byte[] data = Encode(new OracleInstruction { Diff = ByteString.CopyFromUtf8("hello") });
        Assert.That(TransportInstruction.TryParse(data, out TransportInstruction parsed), Is.True);
        Assert.That(System.Runtime.CompilerServices.Unsafe.AreSame(ref System.Runtime.InteropServices.MemoryMarshal.GetReference(parsed.Diff), ref data[2]), Is.True);
    }

    [Test]
    public void UnknownFieldsOfEveryWireTypeAreSkipped()
    {
        var stream = new MemoryStream();
        var output = new CodedOutputStream(stream);
        output.WriteTag(3, WireFormat.WireType.Varint);
        output.WriteUInt64(77);
        output.WriteTag(20, WireFormat.WireType.Varint);
        output.WriteUInt64(ulong.MaxValue);
        output.WriteTag(21, WireFormat.WireType.Fixed64);
        output.WriteFixed64(1);
        output.WriteTag(22, WireFormat.WireType.Fixed32);
        output.WriteFixed32(2);
        output.WriteTag(23, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(ByteString.CopyFromUtf8("unknown"));
        output.WriteTag(24, WireFormat.WireType.StartGroup);
        output.WriteTag(1, WireFormat.WireType.Varint);
        output.WriteUInt64(5);
        output.WriteTag(25, WireFormat.WireType.StartGroup);
        output.WriteTag(25, WireFormat.WireType.EndGroup);
        output.WriteTag(24, WireFormat.WireType.EndGroup);
        output.WriteTag(6, WireFormat.WireType.Varint); // known number, wrong wire type: unknown
        output.WriteUInt64(9);
        output.WriteTag(6, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(ByteString.CopyFromUtf8("d"));
        output.Flush();

        Assert.That(TransportInstruction.TryParse(stream.ToArray(), out TransportInstruction parsed), Is.True);
        Assert.That(parsed.NewNum, Is.EqualTo(77UL));
        Assert.That(parsed.Diff.ToArray(), Is.EqualTo("d"u8.ToArray()));
        Assert.That(parsed.HasOldNum, Is.False);
        Assert.That(OracleInstruction.Parser.ParseFrom(stream.ToArray()).NewNum, Is.EqualTo(77UL));
    }

    [Test]
    public void RepeatedScalarKeepsTheLastValue()
    {
        byte[] data = [0x18, 1, 0x18, 2];
        Assert.That(TransportInstruction.TryParse(data, out TransportInstruction parsed), Is.True);
        Assert.That(parsed.NewNum, Is.EqualTo(2UL));
    }

    [TestCase(new byte[] { 0x18 }, TestName = "Key without value")]
    [TestCase(new byte[] { 0x18, 0x80 }, TestName = "Truncated varint")]
    [TestCase(new byte[] { 0x18, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01 }, TestName = "Varint longer than ten bytes")]
    [TestCase(new byte[] { 0x32, 5, 1, 2 }, TestName = "Length beyond the end")]
    [TestCase(new byte[] { 0x32, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F }, TestName = "Huge length")]
    [TestCase(new byte[] { 0x00, 0x01 }, TestName = "Field number zero")]
    [TestCase(new byte[] { 0x0E, 0x01 }, TestName = "Wire type six")]
    [TestCase(new byte[] { 0x0F, 0x01 }, TestName = "Wire type seven")]
    [TestCase(new byte[] { 0x0C }, TestName = "End group without start")]
    [TestCase(new byte[] { 0xC3, 0x01 }, TestName = "Unterminated group")]
    [TestCase(new byte[] { 0xC3, 0x01, 0xCC, 0x01 }, TestName = "Group closed by another field number")]
    [TestCase(new byte[] { 0xA9, 0x01, 1, 2, 3 }, TestName = "Truncated fixed64")]
    [TestCase(new byte[] { 0xAD, 0x01, 1, 2, 3 }, TestName = "Truncated fixed32")]
    public void MalformedInputIsRejectedLikeGoogleProtobuf(byte[] data)
    {
        Assert.That(TransportInstruction.TryParse(data, out _), Is.False);
        Assert.That(() => OracleInstruction.Parser.ParseFrom(data), Throws.InstanceOf<InvalidProtocolBufferException>());
    }

    [Test]
    public void DeeplyNestedUnknownGroupsAreRejectedWithoutExhaustingTheStack()
    {
        var data = new List<byte>();
        for (int i = 0; i < 100_000; i++)
        {
            data.AddRange(new byte[] { 0xC3, 0x01 });
        }

        Assert.That(TransportInstruction.TryParse(data.ToArray(), out _), Is.False);
    }

    [Test]
    public void EveryTruncationOfAValidEncodingIsAcceptedOrRejectedAsGoogleProtobufDoes()
    {
        OracleGen.Instruction.Sample(m =>
        {
            byte[] full = m.ToByteArray();
            for (int length = 0; length < full.Length; length++)
            {
                byte[] prefix = full[..length];
                bool theirs = TryOracle(prefix, out OracleInstruction? oracle);
                Assert.That(TransportInstruction.TryParse(prefix, out TransportInstruction parsed), Is.EqualTo(theirs));
                if (theirs)
                {
                    Assert.That(ToOracle(parsed), Is.EqualTo(oracle));
                }
            }
        }, iter: 200);
    }

    [Test]
    public void RandomBytesAreAcceptedOrRejectedAsGoogleProtobufDoes()
    {
        Gen.Byte.Array[0, 40].Sample(data =>
        {
            bool theirs = TryOracle(data, out OracleInstruction? oracle);
            bool ours = TransportInstruction.TryParse(data, out TransportInstruction parsed);
            if (theirs && !ours)
            {
                // Google.Protobuf for C# truncates a key beyond 32 bits; protobuf C++ (upstream's peer) rejects it, as we do.
                Assert.That(WireScan.HasOverlongKey(data), Is.True, "only an over-long key may make us stricter");
                return;
            }

            Assert.That(ours, Is.EqualTo(theirs));
            if (theirs)
            {
                Assert.That(ToOracle(parsed), Is.EqualTo(WithoutUnknownFields(oracle!)));
            }
        }, iter: 20000);
    }

    [Test]
    public void BufferWriterOverloadWritesTheSameBytes()
    {
        var inst = new TransportInstruction { ProtocolVersion = 2, NewNum = 300, Diff = new byte[200] };
        var writer = new ArrayBufferWriter<byte>();
        int written = inst.WriteTo(writer);
        var direct = new byte[inst.ComputeSize()];
        _ = inst.TryWriteTo(direct, out _);
        Assert.That(written, Is.EqualTo(direct.Length));
        Assert.That(writer.WrittenSpan.ToArray(), Is.EqualTo(direct));
    }

    [Test]
    public void TooSmallDestinationIsRefused()
    {
        var inst = new TransportInstruction { NewNum = 1, Diff = new byte[10] };
        Assert.That(inst.TryWriteTo(new byte[inst.ComputeSize() - 1], out int written), Is.False);
        Assert.That(written, Is.Zero);
    }

    private static OracleInstruction WithoutUnknownFields(OracleInstruction m)
    {
        // Google.Protobuf keeps unknown fields for re-serialisation; we drop them, so compare only known ones.
        var copy = new OracleInstruction();
        if (m.HasProtocolVersion) copy.ProtocolVersion = m.ProtocolVersion;
        if (m.HasOldNum) copy.OldNum = m.OldNum;
        if (m.HasNewNum) copy.NewNum = m.NewNum;
        if (m.HasAckNum) copy.AckNum = m.AckNum;
        if (m.HasThrowawayNum) copy.ThrowawayNum = m.ThrowawayNum;
        if (m.HasDiff) copy.Diff = m.Diff;
        if (m.HasChaff) copy.Chaff = m.Chaff;
        return copy;
    }

    private static bool TryOracle(byte[] data, out OracleInstruction? m)
    {
        try
        {
            m = OracleInstruction.Parser.ParseFrom(data);
            return true;
        }
        catch (InvalidProtocolBufferException)
        {
            m = null;
            return false;
        }
    }
}
