using System.Buffers;
using CsCheck;
using Google.Protobuf;
using Mosh.Protobufs;
using Mosh.Tests.Protobufs.Oracle;

namespace Mosh.Tests.Protobufs;

[TestFixture]
public class HostMessageTests
{
    private static byte[] Encode(OracleHostMessage m)
    {
        var output = new ArrayBufferWriter<byte>();
        foreach (OracleHostInstruction o in m.Instruction)
        {
            var ours = new HostInstruction();
            if (o.Hostbytes is not null)
            {
                ours.HasHostBytes = true;
                if (o.Hostbytes.HasHoststring) ours.HostString = o.Hostbytes.Hoststring.Span;
            }

            if (o.Resize is not null)
            {
                var resize = new ResizeMessage();
                if (o.Resize.HasWidth) resize.Width = o.Resize.Width;
                if (o.Resize.HasHeight) resize.Height = o.Resize.Height;
                ours.Resize = resize;
            }

            if (o.Echoack is not null)
            {
                ours.HasEchoAck = true;
                if (o.Echoack.HasEchoAckNum) ours.EchoAckNum = o.Echoack.EchoAckNum;
            }

            int expected = ours.ComputeEncodedSize();
            Assert.That(ours.WriteTo(output), Is.EqualTo(expected));
        }

        return output.WrittenSpan.ToArray();
    }

    private static OracleHostMessage ToOracle(in HostMessage message)
    {
        var m = new OracleHostMessage();
        foreach (HostInstruction ours in message)
        {
            var o = new OracleHostInstruction();
            if (ours.HasHostBytes)
            {
                o.Hostbytes = new OracleHostBytes();
                if (ours.HasHostString) o.Hostbytes.Hoststring = ByteString.CopyFrom(ours.HostString);
            }

            if (ours.HasResize)
            {
                o.Resize = new OracleHostResize();
                if (ours.Resize.HasWidth) o.Resize.Width = ours.Resize.Width;
                if (ours.Resize.HasHeight) o.Resize.Height = ours.Resize.Height;
            }

            if (ours.HasEchoAck)
            {
                o.Echoack = new OracleEchoAck();
                if (ours.HasEchoAckNum) o.Echoack.EchoAckNum = ours.EchoAckNum;
            }

            m.Instruction.Add(o);
        }

        return m;
    }

    [Test]
    public void OurEncodingIsWhatGoogleProtobufParsesAndItselfWouldEmit()
    {
        OracleGen.HostMessage.Sample(m =>
        {
            byte[] ours = Encode(m);
            Assert.That(OracleHostMessage.Parser.ParseFrom(ours), Is.EqualTo(m));
            Assert.That(ours, Is.EqualTo(m.ToByteArray()));
        }, iter: 2000);
    }

    [Test]
    public void GoogleProtobufEncodingParsesAndReencodesByteIdentical()
    {
        OracleGen.HostMessage.Sample(m =>
        {
            byte[] theirs = m.ToByteArray();
            Assert.That(HostMessage.TryParse(theirs, out HostMessage parsed), Is.True);
            Assert.That(parsed.Count, Is.EqualTo(m.Instruction.Count));
            OracleHostMessage back = ToOracle(parsed);
            Assert.That(back, Is.EqualTo(m));
            Assert.That(Encode(back), Is.EqualTo(theirs));
        }, iter: 2000);
    }

    [Test]
    public void ServerDiffHasUpstreamsBytes()
    {
        // Upstream's Complete::diff_from order: echo ack, resize, host bytes; each its own instruction.
        var output = new ArrayBufferWriter<byte>();
        HostInstruction.ForEchoAck(300).WriteTo(output);
        HostInstruction.ForResize(80, 24).WriteTo(output);
        HostInstruction.ForHostBytes("hi"u8).WriteTo(output);
        Assert.That(output.WrittenSpan.ToArray(), Is.EqualTo(new byte[]
        {
            0x0A, 5, 0x3A, 3, 0x40, 0xAC, 0x02,
            0x0A, 6, 0x1A, 4, 0x28, 80, 0x30, 24,
            0x0A, 6, 0x12, 4, 0x22, 2, (byte)'h', (byte)'i',
        }));
    }

    [Test]
    public void InstructionWithEveryMemberWritesThemInFieldNumberOrder()
    {
        var inst = new HostInstruction { EchoAckNum = 1, Resize = new ResizeMessage(2, 3), HostString = "x"u8 };
        var buffer = new byte[inst.ComputeEncodedSize()];
        Assert.That(inst.TryWriteTo(buffer, out _), Is.True);
        Assert.That(buffer, Is.EqualTo(OracleHostMessage.Parser.ParseFrom(buffer).ToByteArray()));
        Assert.That(buffer[2], Is.EqualTo(0x12));
    }

    [Test]
    public void MutatedEncodingsAreAcceptedOrRejectedAsGoogleProtobufDoes()
    {
        Gen.Select(OracleGen.HostMessage, Gen.Int[0, 1000], Gen.Byte).Sample(t =>
        {
            byte[] data = t.Item1.ToByteArray();
            if (data.Length == 0)
            {
                return;
            }

            data[t.Item2 % data.Length] = t.Item3;
            OracleHostMessage? theirs;
            try
            {
                theirs = OracleHostMessage.Parser.ParseFrom(data);
            }
            catch (InvalidProtocolBufferException)
            {
                theirs = null;
            }

            bool ours = HostMessage.TryParse(data, out HostMessage parsed);
            if (theirs is not null && !ours)
            {
                Assert.That(WireScan.HasOverlongKey(data), Is.True);
                return;
            }

            Assert.That(ours, Is.EqualTo(theirs is not null));
            if (ours)
            {
                Assert.That(Encode(ToOracle(parsed)), Is.EqualTo(Encode(theirs!)));
            }
        }, iter: 5000);
    }
}
