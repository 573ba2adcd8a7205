using System.Buffers;
using Google.Protobuf;
using Mosh.Protobufs;
using Mosh.Tests.Protobufs.Oracle;

namespace Mosh.Tests.Protobufs;

/// <summary>Our extension block (fields 40-59 of both Instruction messages): encoding, and what upstream's parser makes of it.</summary>
[TestFixture]
public class ExtensionInstructionTests
{
    private static byte[] Hello(WireCapabilities capabilities)
    {
        Span<byte> body = stackalloc byte[HelloMessage.MaxSize];
        return body[..HelloMessage.Write(capabilities, body)].ToArray();
    }

    [Test]
    public void A_hello_carries_its_capability_bits_unknown_ones_included()
    {
        var bits = (WireCapabilities)0x8000_0005u;
        byte[] body = Hello(bits);
        Assert.Multiple(() =>
        {
            Assert.That(body[0], Is.EqualTo(0x08), "field 1, varint");
            Assert.That(HelloMessage.TryParse(body, out WireCapabilities parsed), Is.True);
            Assert.That(parsed, Is.EqualTo(bits));
            Assert.That(HelloMessage.TryParse([], out WireCapabilities none) && none == WireCapabilities.None, Is.True);
            Assert.That(HelloMessage.TryParse([0x08], out _), Is.False, "truncated varint");
        });
    }

    [Test]
    public void A_user_message_with_a_hello_reencodes_byte_for_byte_and_upstreams_parser_sees_no_keystroke_or_resize_in_it()
    {
        var output = new ArrayBufferWriter<byte>();
        UserInstruction.ForExtension(ExtensionFields.Hello, Hello(WireCapabilities.History)).WriteTo(output);
        UserInstruction.ForKeystroke("ls"u8).WriteTo(output);
        byte[] wire = output.WrittenSpan.ToArray();
        Assert.That(wire[..5], Is.EqualTo(new byte[] { 0x0A, 5, 0xC2, 0x02, 2 }), "instruction, then field 40 length-delimited");

        Assert.That(UserMessage.TryParse(wire, out UserMessage parsed), Is.True);
        var again = new ArrayBufferWriter<byte>();
        int hellos = 0;
        foreach (UserInstruction instruction in parsed)
        {
            hellos += instruction.ExtensionField == ExtensionFields.Hello ? 1 : 0;
            instruction.WriteTo(again);
        }

        OracleUserMessage upstream = OracleUserMessage.Parser.ParseFrom(wire);
        Assert.Multiple(() =>
        {
            Assert.That(hellos, Is.EqualTo(1));
            Assert.That(again.WrittenSpan.ToArray(), Is.EqualTo(wire));
            Assert.That(upstream.Instruction, Has.Count.EqualTo(2));
            Assert.That(upstream.Instruction[0].Keystroke, Is.Null, "upstream's apply loop finds nothing it knows");
            Assert.That(upstream.Instruction[0].Resize, Is.Null);
            Assert.That(upstream.Instruction[1].Keystroke.Keys.ToStringUtf8(), Is.EqualTo("ls"));
        });
    }

    [Test]
    public void A_host_message_with_extensions_reencodes_byte_for_byte_and_upstreams_parser_skips_them()
    {
        var output = new ArrayBufferWriter<byte>();
        HostInstruction.ForExtension(ExtensionFields.Hello, Hello(WireCapabilities.History)).WriteTo(output);
        HostInstruction.ForEchoAck(7).WriteTo(output);
        HostInstruction.ForExtension(ExtensionFields.History, [0x08, 0x01, 0x12, 0x00]).WriteTo(output);
        HostInstruction.ForHostBytes("x"u8).WriteTo(output);
        byte[] wire = output.WrittenSpan.ToArray();

        Assert.That(HostMessage.TryParse(wire, out HostMessage parsed), Is.True);
        var again = new ArrayBufferWriter<byte>();
        var fields = new List<int>();
        foreach (HostInstruction instruction in parsed)
        {
            fields.Add(instruction.ExtensionField);
            instruction.WriteTo(again);
        }

        OracleHostMessage upstream = OracleHostMessage.Parser.ParseFrom(wire);
        Assert.Multiple(() =>
        {
            Assert.That(fields, Is.EqualTo(new[] { 40, 0, 41, 0 }));
            Assert.That(again.WrittenSpan.ToArray(), Is.EqualTo(wire));
            Assert.That(upstream.Instruction, Has.Count.EqualTo(4));
            Assert.That(upstream.Instruction[0].Hostbytes is null && upstream.Instruction[0].Resize is null && upstream.Instruction[0].Echoack is null, Is.True);
            Assert.That(upstream.Instruction[1].Echoack.EchoAckNum, Is.EqualTo(7));
            Assert.That(upstream.Instruction[3].Hostbytes.Hoststring.ToStringUtf8(), Is.EqualTo("x"));
        });
    }

    [Test]
    public void Only_the_first_extension_of_an_instruction_is_kept_and_fields_outside_the_block_are_skipped()
    {
        // Instruction content: field 41 "a", field 40 "b", field 60 "c" (outside our block).
        byte[] content = [0xCA, 0x02, 1, (byte)'a', 0xC2, 0x02, 1, (byte)'b', 0xE2, 0x03, 1, (byte)'c'];
        Assert.That(HostInstruction.TryParse(content, out HostInstruction instruction), Is.True);
        int field = instruction.ExtensionField;
        byte[] body = instruction.ExtensionBody.ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(field, Is.EqualTo(41));
            Assert.That(body, Is.EqualTo("a"u8.ToArray()));
        });
    }
}
