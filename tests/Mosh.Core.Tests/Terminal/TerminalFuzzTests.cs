using System.Diagnostics;
using System.Text;
using Mosh.Terminal;

namespace Mosh.Tests.Terminal;

/// <summary>
/// Seeded random fuzzing of parser + emulator for a few seconds: byte soup biased towards escape-sequence
/// fragments, split at random points, with resizes and snapshots in between. Must not throw or hang, and
/// memory must stay bounded.
/// </summary>
[TestFixture]
public class TerminalFuzzTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(3);

    private static readonly string[] Fragments =
    [
        "\e", "\e[", "\e]", "\eP", "\e_", "\e^", "\eX", "\e#8", "\e7", "\e8", "\ec", "\eD", "\eE", "\eH", "\eM", "\e\\",
        "\u009b", "\u009d", "\u0090", "\u009c", "\u0085", "\u0088", "\u008d", "\u0018", "\u001a", "\a", "\b", "\t", "\n", "\r",
        "0", "1", "5", "9", "65535", "99999", ";", ":", "?", ">", "!", "$", " ", "m", "H", "J", "K", "L", "M", "@", "P", "X",
        "S", "T", "r", "h", "l", "c", "n", "g", "I", "Z", "d", "G", "`", "A", "B", "C", "D", "f", "p",
        "38;2;", "48;5;", "38:2::", "4:3", "?1049", "?6", "?7", "?3", "?25", "?1000", "?1006", "?2004",
        "0;", "2;", "52;c;", "8;;", "8;id=1;http://x/", "é", "中", "\u0301", "\u0302", "😀", "\u200d", "\ufe0f",
        "ab", "xyz", "                ",
    ];

    [Test]
    public void ParserAndEmulatorSurviveRandomInputWithBoundedMemory()
    {
        var random = new Random(20251125);
        var e = new Emulator(80, 24);
        var snapshots = new Queue<Framebuffer>();
        var stopwatch = Stopwatch.StartNew();
        long iterations = 0;
        long peakMemory = 0;
        while (stopwatch.Elapsed < Budget)
        {
            byte[] chunk = NextChunk(random);
            int split = random.Next(chunk.Length + 1);
            e.Write(chunk.AsSpan(0, split));
            e.Write(chunk.AsSpan(split));
            e.ClearTerminalToHost();

            switch (random.Next(40))
            {
                case 0:
                    e.Resize(random.Next(1, 200), random.Next(1, 80));
                    break;
                case 1:
                    snapshots.Enqueue(e.Framebuffer.Clone());
                    if (snapshots.Count > 8)
                    {
                        Framebuffer old = snapshots.Dequeue();
                        _ = old.Equals(e.Framebuffer);
                    }

                    break;
                case 2:
                    e.UserInput(chunk.AsSpan(0, Math.Min(16, chunk.Length)));
                    e.ClearTerminalToHost();
                    break;
                default:
                    break;
            }

            AssertConsistent(e.Framebuffer);
            if (++iterations % 4096 == 0)
            {
                peakMemory = Math.Max(peakMemory, GC.GetTotalMemory(false));
            }
        }

        Assert.That(iterations, Is.GreaterThan(100));
        GC.Collect();
        Assert.That(GC.GetTotalMemory(true), Is.LessThan(256L * 1024 * 1024));
        TestContext.Out.WriteLine($"{iterations} chunks, peak managed memory {peakMemory / 1024 / 1024} MiB");
    }

    [Test]
    public void ParserAloneSurvivesRandomBytes()
    {
        var random = new Random(7);
        var parser = new AnsiParser();
        var handler = new CountingHandler();
        var buffer = new byte[4096];
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < TimeSpan.FromSeconds(1))
        {
            random.NextBytes(buffer);
            parser.Feed(buffer.AsSpan(0, random.Next(buffer.Length)), ref handler);
        }

        Assert.That(handler.Actions, Is.GreaterThan(0));
    }

    private static byte[] NextChunk(Random random)
    {
        if (random.Next(8) == 0)
        {
            var raw = new byte[random.Next(1, 256)];
            random.NextBytes(raw);
            return raw;
        }

        var builder = new StringBuilder();
        int parts = random.Next(1, 40);
        for (int i = 0; i < parts; i++)
        {
            builder.Append(Fragments[random.Next(Fragments.Length)]);
        }

        return Encoding.UTF8.GetBytes(builder.ToString());
    }

    private static void AssertConsistent(Framebuffer fb)
    {
        var s = fb.State;
        if (fb.Rows.Length != s.Height || s.CursorRow < 0 || s.CursorRow >= s.Height || s.CursorColumn < 0
            || s.CursorColumn >= s.Width || s.ScrollingRegionTop > s.ScrollingRegionBottom || s.ScrollingRegionBottom >= s.Height)
        {
            Assert.Fail($"inconsistent state: {s.Width}x{s.Height} cursor {s.CursorRow},{s.CursorColumn}");
        }

        foreach (Row row in fb.Rows)
        {
            if (row.Width != s.Width)
            {
                Assert.Fail($"row width {row.Width} != {s.Width}");
            }
        }
    }

    private struct CountingHandler : IParserHandler
    {
        public long Actions;

        public void Print(int codePoint) => Actions++;

        public void PrintAscii(ReadOnlySpan<byte> text) => Actions++;

        public void Execute(int control) => Actions++;

        public int TakeLines(ReadOnlySpan<byte> following) => 0;

        public void EscDispatch(ReadOnlySpan<byte> intermediates, int final) => Actions++;

        public void CsiDispatch(CsiParams parameters, ReadOnlySpan<byte> intermediates, int final)
        {
            Actions++;
            for (int i = 0; i < parameters.Count; i++)
            {
                Actions += parameters.SubParameters(i).Length + (parameters[i] > CsiParams.MaxValue ? 1000 : 0);
            }
        }

        public void SelectGraphicRendition(ReadOnlySpan<int> parameters) => CsiDispatch(CsiParams.Plain(parameters), default, 'm');

        public void DcsHook(CsiParams parameters, ReadOnlySpan<byte> intermediates, int final) => Actions++;

        public void DcsPut(int codePoint) => Actions++;

        public void DcsUnhook() => Actions++;

        public void OscStart() => Actions++;

        public void OscPut(int codePoint) => Actions++;

        public void OscEnd() => Actions++;
    }
}
