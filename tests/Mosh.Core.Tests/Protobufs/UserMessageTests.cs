using System.Buffers;
using CsCheck;
using Google.Protobuf;
using Mosh.Protobufs;
using Mosh.Tests.Protobufs.Oracle;

namespace Mosh.Tests.Protobufs;

[TestFixture]
public class UserMessageTests
{
    private static byte[] Encode(OracleUserMessage m)
    {
        var output = new ArrayBufferWriter<byte>();
        foreach (OracleUserInstruction o in m.Instruction)
        {
            var ours = new UserInstruction();
            if (o.Keystroke is not null)
            {
                ours.HasKeystroke = true;
                if (o.Keystroke.HasKeys) ours.Keys = o.Keystroke.Keys.Span;
            }

            if (o.Resize is not null)
            {
                var resize = new ResizeMessage();
                if (o.Resize.HasWidth) resize.Width = o.Resize.Width;
                if (o.Resize.HasHeight) resize.Height = o.Resize.Height;
                ours.Resize = resize;
            }

            int expected = ours.ComputeEncodedSize();
            Assert.That(ours.WriteTo(output), Is.EqualTo(expected));
        }

        return output.WrittenSpan.ToArray();
    }

    private static OracleUserMessage ToOracle(in UserMessage message)
    {
        var m = new OracleUserMessage();
        foreach (UserInstruction ours in message)
        {
            var o = new OracleUserInstruction();
            if (ours.HasKeystroke)
            {
                o.Keystroke = new OracleKeystroke();
                if (ours.HasKeys) o.Keystroke.Keys = ByteString.CopyFrom(ours.Keys);
            }

            if (ours.HasResize)
            {
                o.Resize = new OracleUserResize();
                if (ours.Resize.HasWidth) o.Resize.Width = ours.Resize.Width;
                if (ours.Resize.HasHeight) o.Resize.Height = ours.Resize.Height;
            }

            m.Instruction.Add(o);
        }

        return m;
    }

    [Test]
    public void OurEncodingIsWhatGoogleProtobufParsesAndItselfWouldEmit()
    {
        OracleGen.UserMessage.Sample(m =>
        {
            byte[] ours = Encode(m);
            Assert.That(OracleUserMessage.Parser.ParseFrom(ours), Is.EqualTo(m));
            Assert.That(ours, Is.EqualTo(m.ToByteArray()));
        }, iter: 2000);
    }

    [Test]
    public void GoogleProtobufEncodingParsesAndReencodesByteIdentical()
    {
        OracleGen.UserMessage.Sample(m =>
        {
            byte[] theirs = m.ToByteArray();
            Assert.That(UserMessage.TryParse(theirs, out UserMessage parsed), Is.True);
            Assert.That(parsed.Count, Is.EqualTo(m.Instruction.Count));
            OracleUserMessage back = ToOracle(parsed);
            Assert.That(back, Is.EqualTo(m));
            Assert.That(Encode(back), Is.EqualTo(theirs));
        }, iter: 2000);
    }

    [Test]
    public void KeystrokeAndResizeHaveUpstreamsBytes()
    {
        var output = new ArrayBufferWriter<byte>();
        UserInstruction.ForKeystroke("ls"u8).WriteTo(output);
        UserInstruction.ForResize(80, 24).WriteTo(output);
        Assert.That(output.WrittenSpan.ToArray(), Is.EqualTo(new byte[]
        {
            0x0A, 6, 0x12, 4, 0x22, 2, (byte)'l', (byte)'s',
            0x0A, 6, 0x1A, 4, 0x28, 80, 0x30, 24,
        }));
    }

    [Test]
    public void NegativeSizeEncodesAsTenByteVarint()
    {
        UserInstruction inst = UserInstruction.ForResize(-1, 1);
        var buffer = new byte[inst.ComputeEncodedSize()];
        Assert.That(inst.TryWriteTo(buffer, out int written), Is.True);
        Assert.That(written, Is.EqualTo(2 + 2 + 1 + 10 + 2));
        var oracle = OracleUserMessage.Parser.ParseFrom(buffer);
        Assert.That(oracle.Instruction[0].Resize.Width, Is.EqualTo(-1));
        Assert.That(buffer, Is.EqualTo(oracle.ToByteArray()));
    }

    [Test]
    public void RepeatedEmbeddedMessagesMergeAsInProtobuf()
    {
        // Instruction { resize { width 10 } resize { height 20 } keystroke { keys "a" } keystroke { keys "b" } }
        byte[] data = [0x0A, 14, 0x1A, 2, 0x28, 10, 0x1A, 2, 0x30, 20, 0x12, 3, 0x22, 1, (byte)'a', 0x12, 3, 0x22, 1, (byte)'b'];
        data[1] = (byte)(data.Length - 2);
        var oracle = OracleUserMessage.Parser.ParseFrom(data);
        Assert.That(UserMessage.TryParse(data, out UserMessage parsed), Is.True);
        Assert.That(ToOracle(parsed), Is.EqualTo(oracle));
        foreach (UserInstruction inst in parsed)
        {
            Assert.That((inst.Resize.Width, inst.Resize.Height), Is.EqualTo((10, 20)));
            Assert.That(inst.Keys.ToArray(), Is.EqualTo("b"u8.ToArray()));
        }
    }

    [Test]
    public void MalformedNestedInstructionRejectsTheWholeMessage()
    {
        // A valid first instruction, then one whose keystroke claims more bytes than it holds.
        byte[] data = [0x0A, 6, 0x12, 4, 0x22, 2, (byte)'o', (byte)'k', 0x0A, 4, 0x12, 2, 0x22, 5];
        Assert.That(UserMessage.TryParse(data, out _), Is.False);
        Assert.That(() => OracleUserMessage.Parser.ParseFrom(data), Throws.InstanceOf<InvalidProtocolBufferException>());
    }

    [Test]
    public void MutatedEncodingsAreAcceptedOrRejectedAsGoogleProtobufDoes()
    {
        Gen.Select(OracleGen.UserMessage, Gen.Int[0, 1000], Gen.Byte).Sample(t =>
        {
            byte[] data = t.Item1.ToByteArray();
            if (data.Length == 0)
            {
                return;
            }

            data[t.Item2 % data.Length] = t.Item3;
            OracleUserMessage? theirs;
            try
            {
                theirs = OracleUserMessage.Parser.ParseFrom(data);
            }
            catch (InvalidProtocolBufferException)
            {
                theirs = null;
            }

            bool ours = UserMessage.TryParse(data, out UserMessage parsed);
            if (theirs is not null && !ours)
            {
                Assert.That(WireScan.HasOverlongKey(data), Is.True);
                return;
            }

            Assert.That(ours, Is.EqualTo(theirs is not null));
            if (ours)
            {
                // Compare known fields only: re-encode Google's view, which drops nothing we keep.
                Assert.That(Encode(ToOracle(parsed)), Is.EqualTo(Encode(theirs!)));
            }
        }, iter: 5000);
    }
}
