using System.Buffers;
using System.Text;
using Mosh.Terminal;

namespace Mosh.Tests.Terminal;

[TestFixture]
public class PackedRenditionsTests
{
    private static string Sgr(in Renditions renditions)
    {
        byte[] buffer = new byte[Renditions.MaxSgrLength];
        return Encoding.ASCII.GetString(buffer, 0, renditions.FormatSgr(buffer));
    }

    private static Renditions RandomRenditions(Random random)
    {
        TerminalColor Color() => random.Next(3) switch
        {
            0 => default,
            1 => TerminalColor.Indexed(random.Next(256)),
            _ => TerminalColor.Rgb((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256)),
        };

        var renditions = new Renditions { Foreground = Color(), Background = Color() };
        foreach (TextAttributes attribute in Enum.GetValues<TextAttributes>())
        {
            if (attribute != TextAttributes.None && random.Next(3) == 0)
            {
                renditions.Set(attribute, true);
            }
        }

        if (renditions.Has(TextAttributes.Underline) && random.Next(2) == 0)
        {
            renditions.SetUnderline((UnderlineStyle)random.Next(1, 6));
        }

        return renditions;
    }

    [Test]
    public void Every_rendition_reads_back_as_the_same_sgr_in_at_most_nine_bytes()
    {
        var random = new Random(4242);
        byte[] packed = new byte[PackedRenditions.MaxLength];
        for (int n = 0; n < 20_000; n++)
        {
            Renditions renditions = RandomRenditions(random);
            int length = PackedRenditions.Write(renditions, packed);
            Assert.That(packed[0], Is.EqualTo(PackedRenditions.Marker));
            Assert.That(PackedRenditions.Read(packed.AsSpan(0, length), out Renditions read), Is.EqualTo(length));
            Assert.That(Sgr(read), Is.EqualTo(Sgr(renditions)));
            Assert.That(length, Is.LessThan(Sgr(renditions).Length), "packed is shorter than its SGR");
            Assert.That(renditions.SgrLength(), Is.EqualTo(Sgr(renditions).Length), "counted as written");
        }
    }

    [Test]
    public void Default_renditions_pack_as_the_two_byte_reset_and_a_palette_colour_in_three()
    {
        byte[] packed = new byte[PackedRenditions.MaxLength];
        Assert.That(packed.AsSpan(0, PackedRenditions.Write(default, packed)).ToArray(), Is.EqualTo(PackedRenditions.Reset.ToArray()));
        Assert.That(PackedRenditions.Write(new Renditions { Foreground = TerminalColor.Indexed(201) }, packed), Is.EqualTo(3));
    }

    [Test]
    public void Cut_short_or_malformed_packed_renditions_read_as_nothing()
    {
        var renditions = new Renditions { Foreground = TerminalColor.Rgb(1, 2, 3), Background = TerminalColor.Indexed(27) };
        renditions.Set(TextAttributes.Bold, true);
        byte[] packed = new byte[PackedRenditions.MaxLength];
        int length = PackedRenditions.Write(renditions, packed);
        for (int cut = 0; cut < length; cut++)
        {
            Assert.That(PackedRenditions.Read(packed.AsSpan(0, cut), out _), Is.Zero, $"cut at {cut}");
        }

        Assert.That(PackedRenditions.Read([PackedRenditions.Marker, 0x03], out _), Is.Zero, "colour kind 3");
        Assert.That(PackedRenditions.Read([PackedRenditions.Marker, 0x20], out _), Is.Zero, "unknown header bit");
        Assert.That(PackedRenditions.Read([(byte)'x', 0], out _), Is.Zero, "no marker");
    }

    [Test]
    public void A_stored_line_goes_out_with_each_packed_rendition_as_its_sgr_and_its_text_unchanged()
    {
        var emulator = new Emulator(40, 2);
        emulator.Write("a\e[1;31mred\e[0m b\e[38;2;10;20;30;48;5;200m\u65e5x\e[0m"u8);
        var stored = new ArrayBufferWriter<byte>();
        HistoryLine.Encode(emulator.Framebuffer.GetRow(0), stored);
        var wire = new ArrayBufferWriter<byte>();
        HistoryLine.ToWire(stored.WrittenSpan, wire);
        Assert.That(Encoding.UTF8.GetString(wire.WrittenSpan),
            Is.EqualTo("a\e[0;1;31mred\e[0m b\e[0;38;2;10;20;30;48;5;200m\u65e5x\e[0m"));
        Assert.That(HistoryLine.WireLength(stored.WrittenSpan), Is.EqualTo(wire.WrittenCount));
        Assert.That(stored.WrittenCount, Is.EqualTo(24), "a, 4 for bold red, red, 2 for the reset, \" b\", 6 for RGB on 200, the text, the reset");
    }
}
