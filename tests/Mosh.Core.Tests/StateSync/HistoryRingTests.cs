using System.Text;
using Mosh.StateSync;
using Mosh.Terminal;

namespace Mosh.Tests.StateSync;

[TestFixture]
public class HistoryRingTests
{
    private static string Line(HistoryRing ring, ulong number) => Encoding.UTF8.GetString(ring[number]);

    [Test]
    public void Lines_are_numbered_absolutely_and_the_oldest_leave_beyond_the_capacity()
    {
        var ring = new HistoryRing(1000);
        for (int i = 0; i < 2500; i++)
        {
            ring.Append(Encoding.UTF8.GetBytes($"line {i}"));
        }

        Assert.Multiple(() =>
        {
            Assert.That(ring.End, Is.EqualTo(2500UL));
            Assert.That(ring.First, Is.EqualTo(1500UL));
            Assert.That(Line(ring, 1500), Is.EqualTo("line 1500"));
            Assert.That(Line(ring, 2499), Is.EqualTo("line 2499"));
            Assert.That(() => { _ = ring[1499].Length; }, Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => { _ = ring[2500].Length; }, Throws.InstanceOf<ArgumentOutOfRangeException>());
        });
    }

    [Test]
    public void Flooded_plain_lines_are_stored_as_rows_holding_them_are_without_trailing_spaces()
    {
        var ring = new HistoryRing(100);
        var screen = new Emulator(12, 2);
        screen.Framebuffer.ScrollbackSink = ring;
        screen.Write("row one  \r\n"u8); // printed and scrolled off as a row (the first line feed is on the top row)
        screen.Write("x\r\n"u8);

        byte[] text = "a b  \r\n   \r\n\r\nlast\r\n"u8.ToArray();
        int[] ends = [5, 10, 12, 18];
        ring.PlainLinesScrolledOff(text, ends.AsSpan(0, 3));

        Assert.That(Enumerable.Range(0, (int)ring.End).Select(n => Line(ring, (ulong)n)), Is.EqualTo(new[] { "row one", "a b", "", "" }));
    }

    [TestCase(5000, 60)]
    [TestCase(50, 60)] // batches larger than the capacity
    [TestCase(1000, 1200)] // the byte bound drops lines before the line count does
    public void Flooded_lines_across_many_chunks_read_back_whole_and_in_order_among_other_lines(int capacity, int longest)
    {
        var ring = new HistoryRing(capacity);
        var random = new Random(7);
        var expected = new List<string>();
        var text = new StringBuilder();
        var ends = new List<int>();
        for (int batch = 0; batch < 600; batch++)
        {
            if (random.Next(4) == 0)
            {
                string line = $"appended {expected.Count} " + new string('\u00e9', random.Next(0, 3));
                ring.Append(Encoding.UTF8.GetBytes(line));
                expected.Add(line);
                continue;
            }

            text.Clear();
            ends.Clear();
            int count = random.Next(1, 400);
            for (int i = 0; i < count; i++)
            {
                string line = $"flood {expected.Count} " + new string('x', random.Next(0, longest));
                text.Append(line).Append(' ', random.Next(0, 3));
                ends.Add(text.Length);
                text.Append("\r\n");
                expected.Add(line.TrimEnd(' '));
            }

            ring.PlainLinesScrolledOff(Encoding.ASCII.GetBytes(text.ToString()), ends.ToArray());
        }

        // The newest lines that fit both bounds are kept, and no more were dropped than that.
        long Bytes(int from) => expected.Skip(from).Sum(l => (long)Encoding.UTF8.GetByteCount(l));
        int first = (int)ring.First;
        Assert.That(ring.End, Is.EqualTo((ulong)expected.Count));
        Assert.That(expected.Count - first, Is.LessThanOrEqualTo(capacity));
        Assert.That(ring.Bytes, Is.EqualTo(Bytes(first)).And.LessThanOrEqualTo(ring.MaxBytes));
        Assert.That(expected.Count - first + 1 > capacity || Bytes(first - 1) > ring.MaxBytes, Is.True, "one more line would not fit");
        for (ulong n = ring.First; n < ring.End; n++)
        {
            Assert.That(Line(ring, n), Is.EqualTo(expected[(int)n]), $"line {n}");
        }
    }

    [Test]
    public void Empty_lines_are_bounded_by_the_line_count_and_giant_lines_by_the_byte_bound()
    {
        var ring = new HistoryRing(200);
        for (int i = 0; i < 100_000; i++)
        {
            ring.Append([]);
        }

        Assert.That(ring.End - ring.First, Is.EqualTo(200UL));
        byte[] giant = new byte[150_000];
        giant.AsSpan().Fill((byte)'x');
        for (int i = 0; i < 50; i++)
        {
            giant[0] = (byte)('a' + (i % 26));
            ring.Append(giant);
        }

        Assert.Multiple(() =>
        {
            Assert.That(ring.Bytes, Is.LessThanOrEqualTo(Math.Max(ring.MaxBytes, giant.Length)));
            Assert.That(ring.End - ring.First, Is.EqualTo(1UL), "a line over the byte bound is kept alone");
            Assert.That(ring[ring.End - 1][0], Is.EqualTo((byte)('a' + (49 % 26))), "the newest giant line is intact");
        });
    }

    [Test]
    public void Ten_thousand_lines_of_200_columns_take_well_under_8_MB()
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var ring = new HistoryRing(HistoryRing.DefaultCapacity);
        byte[] line = new byte[200];
        for (int i = 0; i < 30_000; i++)
        {
            line.AsSpan().Fill((byte)('0' + (i % 10)));
            ring.Append(line);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        TestContext.Out.WriteLine($"30000 lines of 200 bytes through a 10000-line ring: {allocated / 1024} KiB allocated, {ring.Bytes / 1024} KiB held");
        Assert.That(allocated, Is.LessThan(4L * 1024 * 1024), "chunks are recycled, not reallocated per line");
        Assert.That(ring.Bytes, Is.EqualTo(10_000L * 200));
    }

    [Test]
    public void Every_line_held_reads_back_as_written_across_dozens_of_chunks_and_their_recycling()
    {
        // 20,000 lines of about 150 bytes held (some 45 chunks of 64 KiB at once), 60,000 written: chunks are made,
        // dropped and reused many times over, and each line must still name the right one.
        var ring = new HistoryRing(20_000);
        for (int i = 0; i < 60_000; i++)
        {
            ring.Append(Encoding.UTF8.GetBytes($"{i:D8} " + new string((char)('a' + (i % 26)), 100 + (i % 83))));
            if (i % 7919 == 0)
            {
                Assert.That(Line(ring, (ulong)i), Does.StartWith($"{i:D8} "), "the newest line");
            }
        }

        Assert.That(ring.First, Is.EqualTo(40_000UL));
        for (ulong n = ring.First; n < ring.End; n++)
        {
            int i = (int)n;
            string expected = $"{i:D8} " + new string((char)('a' + (i % 26)), 100 + (i % 83));
            if (Line(ring, n) != expected)
            {
                Assert.Fail($"line {n} reads {Line(ring, n)}");
            }
        }
    }

    [Test]
    public void Coloured_rows_are_stored_packed_and_read_back_with_their_sgr()
    {
        var ring = new HistoryRing(100);
        var screen = new Emulator(40, 1);
        screen.Framebuffer.ScrollbackSink = ring;
        screen.Write("\r\n"u8); // line 0: the first row, blank; the rows after it are blanked by scrolling
        screen.Write("\e[38;5;201mmosh\e[0m \e[1;32mstate\e[0m\r\n"u8); // drafted as printed
        screen.Write("\e[44mblue\e[0m\e[3D\e[31mR\e[0m\r\n"u8); // overwritten: encoded from its cells

        Assert.Multiple(() =>
        {
            Assert.That(ring.End - ring.First, Is.EqualTo(3UL));
            Assert.That(Line(ring, 0), Is.Empty);
            Assert.That(Line(ring, 1), Is.EqualTo("\e[0;38;5;201mmosh\e[0m \e[0;1;32mstate\e[0m"));
            Assert.That(Line(ring, 2), Is.EqualTo("\e[0;44mb\e[0;31mR\e[0;44mue\e[0m"));
            Assert.That(ring.Stored(1).Length, Is.EqualTo(4 + 3 + 2 + 1 + 4 + 5 + 2), "mosh and state with their packed colours");
            Assert.That(ring.Bytes, Is.EqualTo(ring.Stored(1).Length + ring.Stored(2).Length));
            for (ulong n = 0; n < 3; n++)
            {
                Assert.That(ring.WireLength(n), Is.EqualTo(ring[n].Length), $"line {n}'s length as sent");
                Assert.That(ring.WireLength(n), Is.EqualTo(ring[n].Length), $"line {n}'s length as sent, kept");
            }
        });
    }

    /// <summary>A screen feeding <paramref name="ring"/> whose rows from the second on are blanked by scrolling.</summary>
    private static Emulator ScreenFeeding(HistoryRing ring, int width, int height = 1)
    {
        var screen = new Emulator(width, height);
        screen.Framebuffer.ScrollbackSink = ring;
        screen.Write("\r\n"u8); // line 0: the first row, blank
        return screen;
    }

    [Test]
    public void A_row_kept_as_the_application_wrote_it_is_encoded_when_first_read_and_then_in_its_place()
    {
        var ring = new HistoryRing(100);
        Emulator screen = ScreenFeeding(ring, 40);
        screen.Write("\e[38;5;201mmosh\e[0m \e[1;32mstate\e[0m\r\n"u8);
        long keptBytes = ring.Bytes;

        Assert.Multiple(() =>
        {
            Assert.That(ring.VerbatimLinesEncoded, Is.Zero, "nothing read yet");
            Assert.That(keptBytes, Is.GreaterThan("\e[38;5;201mmosh\e[0m \e[1;32mstate\e[0m"u8.Length), "the bytes as written, with how the row began");
            Assert.That(ring.WireLength(1), Is.EqualTo("\e[0;38;5;201mmosh\e[0m \e[0;1;32mstate\e[0m"u8.Length));
            Assert.That(ring.VerbatimLinesEncoded, Is.EqualTo(1));
            Assert.That(Line(ring, 1), Is.EqualTo("\e[0;38;5;201mmosh\e[0m \e[0;1;32mstate\e[0m"));
            Assert.That(ring.Stored(1).Length, Is.EqualTo(4 + 3 + 2 + 1 + 4 + 5 + 2), "packed, in its place");
            Assert.That(ring.VerbatimLinesEncoded, Is.EqualTo(1), "encoded once");
            Assert.That(ring.Bytes, Is.EqualTo(ring.Stored(0).Length + ring.Stored(1).Length));
        });
    }

    [Test]
    public void Rows_kept_as_written_that_leave_the_ring_unread_are_never_encoded()
    {
        var ring = new HistoryRing(10);
        Emulator screen = ScreenFeeding(ring, 30, height: 3);
        for (int i = 0; i < 200; i++)
        {
            screen.Write(Encoding.ASCII.GetBytes($"\e[3{i % 8}mline {i}\e[0m\r\n"));
        }

        for (ulong n = ring.First; n < ring.End; n++)
        {
            Assert.That(Line(ring, n), Is.EqualTo($"\e[0;3{(int)(n - 1) % 8}mline {n - 1}\e[0m")); // line 0 is the top row, blank
        }

        Assert.That(ring.VerbatimLinesEncoded, Is.EqualTo(10), "only the ten lines read");
    }

    [Test]
    public void Plain_rows_kept_as_written_are_stored_as_their_text()
    {
        var ring = new HistoryRing(10);
        Emulator screen = ScreenFeeding(ring, 30);
        screen.Write("plain words  \r\n"u8); // no line feed before it in this write: not the flood path

        Assert.That(ring.Stored(1).ToArray(), Is.EqualTo("plain words"u8.ToArray()));
        Assert.That(ring.VerbatimLinesEncoded, Is.Zero);
    }

    [Test]
    public void A_row_whose_encoding_is_longer_than_its_bytes_is_moved_to_the_newest_chunk_and_read_back_whole()
    {
        var ring = new HistoryRing(100);
        Emulator screen = ScreenFeeding(ring, 80);
        // Blanked in blue (the line feed came under a blue background): its 78 blank cells are kept as blue spaces.
        screen.Write("\e[44m\r\nab\e[0m\r\nnext\r\n"u8);
        ulong blue = ring.End - 2;

        Assert.Multiple(() =>
        {
            Assert.That(Line(ring, blue), Is.EqualTo("\e[0;44mab" + new string(' ', 78) + "\e[0m"));
            Assert.That(Line(ring, blue + 1), Is.EqualTo("next"));
            long stored = 0;
            for (ulong n = ring.First; n < ring.End; n++)
            {
                stored += ring.Stored(n).Length;
            }

            Assert.That(ring.Bytes, Is.EqualTo(stored), "the bytes held count each line once, where it lies now");
        });
    }

    [Test]
    public void Rows_kept_as_written_read_back_with_the_renditions_and_background_they_began_in()
    {
        var ring = new HistoryRing(100);
        Emulator screen = ScreenFeeding(ring, 12);
        // The second row begins bold red (the SGR came before the line feed); the fourth was blanked in green by the
        // line feed that left the third (which holds nothing but the SGR).
        screen.Write("\e[1;31mred\r\nstill\e[0m\r\n\e[42m\r\n\e[0mx\r\n"u8);

        Assert.Multiple(() =>
        {
            Assert.That(Line(ring, 1), Is.EqualTo("\e[0;1;31mred\e[0m"));
            Assert.That(Line(ring, 2), Is.EqualTo("\e[0;1;31mstill\e[0m"));
            Assert.That(Line(ring, 3), Is.Empty);
            Assert.That(Line(ring, 4), Is.EqualTo("x\e[0;42m           \e[0m"));
            Assert.That(ring.VerbatimLinesEncoded, Is.EqualTo(4));
        });
    }
}
