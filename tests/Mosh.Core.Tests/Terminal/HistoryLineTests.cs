using System.Buffers;
using System.Text;
using Mosh.Terminal;

namespace Mosh.Tests.Terminal;

[TestFixture]
public class HistoryLineTests
{
    private static string Encode(string output, int width = 20)
    {
        var emulator = new Emulator(width, 2);
        emulator.Write(Encoding.UTF8.GetBytes(output));
        return Wire(emulator.Framebuffer.GetRow(0));
    }

    /// <summary>The row's history line as it goes out: stored by <see cref="HistoryLine.Encode"/>, then in the wire form.</summary>
    internal static string Wire(Row row)
    {
        var stored = new ArrayBufferWriter<byte>();
        HistoryLine.Encode(row, stored);
        var wire = new ArrayBufferWriter<byte>();
        HistoryLine.ToWire(stored.WrittenSpan, wire);
        return Encoding.UTF8.GetString(wire.WrittenSpan);
    }

    private static (string Text, int Columns) Sanitize(string line)
    {
        var buffer = new ArrayBufferWriter<byte>();
        int columns = HistoryLine.Sanitize(Encoding.UTF8.GetBytes(line), buffer);
        return (Encoding.UTF8.GetString(buffer.WrittenSpan), columns);
    }

    [TestCase("12345", true)]
    [TestCase("a b  c   ", true)]
    [TestCase("", true)]
    [TestCase("x\e[2K", true)]
    [TestCase("ab\e[31mred", false)]
    [TestCase("\e[1mbold\e[0m tail", false)]
    [TestCase("n\u00e4ive", false)]
    [TestCase("\u65e5\u672c", false)]
    [TestCase("tab\tstop", true)]
    [TestCase("\e[41m  \e[0m", false)]
    public void The_plain_ascii_shortcut_writes_what_encode_writes_and_takes_only_plain_ascii_rows(string output, bool plain)
    {
        var emulator = new Emulator(20, 2);
        emulator.Write(Encoding.UTF8.GetBytes(output));
        Row row = emulator.Framebuffer.GetRow(0);
        var encoded = new ArrayBufferWriter<byte>();
        HistoryLine.Encode(row, encoded);
        byte[] destination = new byte[row.InkEnd];
        bool taken = HistoryLine.TryEncodePlainAscii(row, destination, out int written);
        Assert.That(taken, Is.EqualTo(plain));
        if (taken)
        {
            Assert.That(destination[..written], Is.EqualTo(encoded.WrittenSpan.ToArray()));
        }
    }

    [Test]
    public void A_row_becomes_its_text_with_sgr_where_renditions_change_and_no_trailing_blanks()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Encode("plain text"), Is.EqualTo("plain text"));
            Assert.That(Encode(""), Is.Empty);
            Assert.That(Encode("a\e[1;31mred\e[0m b"), Is.EqualTo("a\e[0;1;31mred\e[0m b"));
            Assert.That(Encode("\e[44mblue   "), Is.EqualTo("\e[0;44mblue   \e[0m"), "coloured blanks are kept");
            Assert.That(Encode("\u4e00x e\u0301"), Is.EqualTo("\u4e00x e\u0301"), "wide and combining characters");
            Assert.That(Encode("\e]8;;http://x\e\\link\e]8;;\e\\"), Is.EqualTo("link"), "hyperlinks are not kept");
            Assert.That(Encode("λ näive → ✓ a\e[3Cb"), Is.EqualTo("λ näive → ✓ a   b"), "two- and three-byte characters, empty cells");
            Assert.That(
                Encode("\e[38;5;196;48;2;7;80;255mx\e[4;97;100my"),
                Is.EqualTo("\e[0;38;5;196;48;2;7;80;255mx\e[0;4;38;5;15;48;5;8my\e[0m"),
                "256-colour and true-colour numbers, bright colours");
        });
    }

    [Test]
    public void Trailing_blanks_are_dropped_whether_erased_printed_as_spaces_or_linked_and_only_drawing_changes_write_sgr()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Encode("ab   \e[K"), Is.EqualTo("ab"), "printed spaces then erased cells");
            Assert.That(Encode("ab\e]8;;http://x\e\\   \e]8;;\e\\"), Is.EqualTo("ab"), "linked spaces");
            Assert.That(Encode("\e[31ma\e]8;;http://x\e\\b\e]8;;\e\\c"), Is.EqualTo("\e[0;31mabc\e[0m"),
                "a link boundary alone writes no SGR");
            Assert.That(Encode("a\e[4:3mb\e[4mc"), Is.EqualTo("a\e[0;4mb\e[0;4mc\e[0m"),
                "underline styles differ as renditions though both print as SGR 4");
            Assert.That(Encode(new string('x', 20)), Is.EqualTo(new string('x', 20)), "a full row");
            Assert.That(Encode("\u00e9t\u00e9"), Is.EqualTo("\u00e9t\u00e9"), "non-ASCII text");
        });
    }

    [Test]
    public void Sanitizing_keeps_text_and_sgr_and_drops_every_other_control()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Sanitize("abc"), Is.EqualTo(("abc\e[0m", 3)));
            Assert.That(Sanitize("\e[0;1;38;5;200mx"), Is.EqualTo(("\e[0;1;38;5;200mx\e[0m", 1)));
            Assert.That(Sanitize("\u4e00\u0301"), Is.EqualTo(("\u4e00\u0301\e[0m", 2)));
            Assert.That(Sanitize("a\e[2Jb\e]0;evil\ac\r\n\bd\u009bq").Text, Is.EqualTo("a[2Jb]0;evilcdq\e[0m"));
        });
    }

    [Test]
    public void Invalid_utf8_becomes_the_replacement_character()
    {
        var buffer = new ArrayBufferWriter<byte>();
        int columns = HistoryLine.Sanitize([0x41, 0xC3, 0x28, 0xFF], buffer);
        Assert.That(Encoding.UTF8.GetString(buffer.WrittenSpan), Is.EqualTo("A\ufffd(\ufffd\e[0m"));
        Assert.That(columns, Is.EqualTo(4));
    }

    [Test]
    public void Encoding_random_rows_gives_what_the_format_spelled_out_cell_by_cell_gives()
    {
        // Encode's shortcuts (runs of ASCII cells drawn alike, one-character cells as runes) against the
        // format written the slow way: an SGR where the drawing (hyperlink aside) changes, each cell's text (a space
        // when empty), the wide character's second column skipped, trailing plain blanks dropped, a final reset.
        string[] pieces =
        [
            "mosh", "a", " ", "  ", "\t", "\u00e4", "\u00a0", "\u65e5", "\u0301", "\U0001F600", "e\u0301\u0302\u0303\u0304\u0305\u0306\u0307",
            "\e[0m", "\e[m", "\e[31m", "\e[1;4;97m", "\e[38;5;200m", "\e[48;5;3m", "\e[38;2;1;2;3m", "\e[7m", "\e[39;49m", "\e[K", "\e[5G",
            "\e]8;;http://x\a", "\e]8;;\a", "\e[3X", new string('q', 70), "\e[280Gz",
        ];
        var random = new Random(1616);
        for (int n = 0; n < 2000; n++)
        {
            // Narrow rows, rows with runs across 64-column boundaries, rows wider than 256 columns.
            var emulator = new Emulator(n % 3 == 0 ? 300 : n % 3 == 1 ? 140 : 30, 2);
            var text = new StringBuilder();
            for (int part = random.Next(1, 25); part > 0; part--)
            {
                text.Append(pieces[random.Next(pieces.Length)]);
            }

            emulator.Write(Encoding.UTF8.GetBytes(text.ToString()));
            Row row = emulator.Framebuffer.GetRow(0);
            Assert.That(Wire(row), Is.EqualTo(SpelledOut(row)), text.ToString());
        }
    }

    [Test]
    public void Runs_ending_at_every_column_encode_as_spelled_out()
    {
        // A run of ASCII cells drawn alike ending at every column, across 64-column boundaries.
        for (int split = 1; split < 200; split++)
        {
            var emulator = new Emulator(210, 2);
            emulator.Write(Encoding.UTF8.GetBytes(new string('a', split) + "\e[31m" + new string('b', 205 - split) + "\e[0m"));
            Row row = emulator.Framebuffer.GetRow(0);
            Assert.That(Wire(row), Is.EqualTo(SpelledOut(row)), $"split at {split}");
        }
    }

    private static string SpelledOut(Row row)
    {
        int end = row.Width;
        while (end > 0 && row[end - 1].IsBlank && Drawing(row[end - 1].Renditions) == default)
        {
            end--;
        }

        var line = new StringBuilder();
        Renditions current = default;
        Span<byte> sgr = stackalloc byte[Renditions.MaxSgrLength];
        for (int x = 0; x < end; x++)
        {
            Renditions drawing = Drawing(row[x].Renditions);
            if (drawing != current)
            {
                current = drawing;
                line.Append(Encoding.ASCII.GetString(sgr[..drawing.FormatSgr(sgr)]));
            }

            line.Append(row[x].IsEmpty ? " " : row.GetTextString(x));
            if (row[x].IsWide)
            {
                x++;
            }
        }

        return current == default ? line.ToString() : line.Append("\e[0m").ToString();
    }

    private static Renditions Drawing(Renditions renditions) => renditions with { HyperlinkId = 0 };
}
