using Mosh.Terminal;

namespace Mosh.Tests.Terminal;

/// <summary>Upstream's end-to-end emulation scenarios (src/tests/*.test), checked on the emulator directly.</summary>
[TestFixture]
public class EmulatorScenarioTests
{
    [Test]
    public void EightiethColumnWrapWithCrLfAddsNoBlankLines()
    {
        var e = EmulatorTesting.New().Run("\e[H\e[J");
        for (int line = 0; line < 25; line++)
        {
            e.Run(new string('E', 80) + "\r\n");
        }

        var lines = Enumerable.Range(0, 24).Select(e.Line).ToArray();
        Assert.That(lines.Count(l => l == new string('E', 80)), Is.EqualTo(23));
        Assert.That(lines[23], Is.Empty);
        Assert.That(Enumerable.Range(0, 24).Any(r => e.Framebuffer.GetRow(r).Wrap), Is.False);
    }

    [Test]
    public void MultilineInsertAndDeleteUpToHeightPlusTwo()
    {
        var e = EmulatorTesting.New().Run("\e[H\e[J");
        int[] counts = [0, 1, 2, 22, 23, 24, 25, 26];
        var afterInserts = new List<string[]>();
        foreach (int i in counts)
        {
            e.Run($"{i}\r\e[{i}L");
            afterInserts.Add(Enumerable.Range(0, 24).Select(e.Line).ToArray());
        }

        Assert.That(afterInserts[2][0..5], Is.EqualTo(new[] { "", "", "2", "1", "0" }));
        Assert.That(afterInserts[3][22..24], Is.EqualTo(new[] { "22", "" }));
        Assert.That(afterInserts[4][23], Is.EqualTo("23"));
        Assert.That(afterInserts[7].All(l => l.Length == 0), Is.True);

        e.Run("x\r\nyy\r\nzzz\e[H");
        foreach (int i in counts)
        {
            e.Run($"{i}\r\e[{i}M");
        }

        Assert.That(Enumerable.Range(0, 24).All(r => e.Line(r).Length == 0), Is.True);
        Assert.That(e.Cursor(), Is.EqualTo((0, 0)));
    }

    [Test]
    public void ScrollUpAndDownDoNotMoveTheCursor()
    {
        var e = EmulatorTesting.New().Run("\e[H\e[J");
        for (int i = 1; i <= 24; i++)
        {
            e.Run($"\r\ntext {i}");
        }

        e.Run("\e[4S\e[2T\rBad line\e[24;1HLast line\e[HFirst line\r\n");
        var lines = Enumerable.Range(0, 24).Select(e.Line).ToArray();
        Assert.That(lines, Does.Not.Contain("Bad line"));
        Assert.That(lines.Count(l => l.StartsWith("text ", StringComparison.Ordinal)), Is.EqualTo(20));
        Assert.That(lines, Does.Contain("text 24"));
        Assert.That(lines.Any(l => l is "text 1" or "text 2" or "text 3" or "text 4"), Is.False);
        Assert.That(lines[0], Is.EqualTo("First line"));
        Assert.That(lines[23], Is.EqualTo("Last line"));
    }

    [Test]
    public void WrapFlagIsSetOnTheRowOnceTheNextFrameContinuesIt()
    {
        var e = EmulatorTesting.New().Run("\e[H\e[J");
        string first = "abcd" + new string('X', 72) + "1234";
        string second = "ABCD" + new string('x', 72) + "5678";
        var frames = new List<Framebuffer>();
        for (int i = 0; i < 10; i++)
        {
            e.Run(first);
            frames.Add(e.Framebuffer.Clone());
            e.Run(second);
            frames.Add(e.Framebuffer.Clone());
        }

        e.Run("\r\n");
        // Frame 0: first row full, wrap still pending; frame 1: the row continued, so it wraps.
        Assert.That(frames[0].GetRow(0).Wrap, Is.False);
        Assert.That(frames[1].GetRow(0).Wrap, Is.True);
        Assert.That(frames[1].GetRow(1).Wrap, Is.False);
        Assert.That(Enumerable.Range(0, 19).All(r => e.Framebuffer.GetRow(r).Wrap), Is.True);
        Assert.That(e.Framebuffer.GetRow(19).Wrap, Is.False);
        Assert.That(e.Line(0), Is.EqualTo(first));
        Assert.That(e.Line(19), Is.EqualTo(second));
        // The earlier snapshots are unaffected by later output.
        Assert.That(frames[0].GetRow(1).ToString().Trim(), Is.Empty);
    }

    [Test]
    public void CombiningCharacterAfterEraseToCursorMakesAFallbackCell()
    {
        var e = EmulatorTesting.New().Run("0\e[1J\u0334");
        Assert.That(e.Cell(0, 0).IsFallback, Is.True);
        Assert.That(e.Text(0, 0), Is.EqualTo("\u0334"));
        Assert.That(e.Cursor(), Is.EqualTo((0, 2))); // the cursor (still at column 1 after ED) advances
    }

    [Test]
    public void LaterCombiningOnARevisitedEmptyCellIsAFallbackCell()
    {
        var e = EmulatorTesting.New().Run("abc\r\n\u0302\r\ndef\r\n");
        Assert.That(e.Line(0), Is.EqualTo("abc"));
        Assert.That(e.Cell(1, 0).IsFallback, Is.True);
        Assert.That(e.Text(1, 0), Is.EqualTo("\u0302"));
        Assert.That(e.Line(2), Is.EqualTo("def"));
    }

    [Test]
    public void Vt100AttributesScenario()
    {
        var e = EmulatorTesting.New();
        foreach (int attr in new[] { 0, 1, 4, 5, 7 })
        {
            e.Run($"\e[{attr}mE\e[m ");
        }

        Assert.That(e.Line(0), Is.EqualTo("E E E E E"));
        Assert.That(e.Cell(0, 0).Renditions, Is.EqualTo(default(Renditions)));
        Assert.That(e.Cell(0, 2).Renditions.Attributes, Is.EqualTo(TextAttributes.Bold));
        Assert.That(e.Cell(0, 4).Renditions.Attributes, Is.EqualTo(TextAttributes.Underline));
        Assert.That(e.Cell(0, 6).Renditions.Attributes, Is.EqualTo(TextAttributes.Blink));
        Assert.That(e.Cell(0, 8).Renditions.Attributes, Is.EqualTo(TextAttributes.Inverse));
        Assert.That(e.Cell(0, 1).Renditions, Is.EqualTo(default(Renditions)));
    }

    [Test]
    public void SixteenColourScenario()
    {
        var e = EmulatorTesting.New();
        int[] attrs = [.. Enumerable.Range(30, 8), .. Enumerable.Range(39, 9), 49];
        foreach (int attr in attrs)
        {
            e.Run($"\e[{attr}mE\e[m ");
        }

        for (int i = 0; i < attrs.Length; i++)
        {
            var r = e.Cell(0, 2 * i).Renditions;
            int a = attrs[i];
            var expected = a switch
            {
                >= 30 and <= 37 => new Renditions { Foreground = TerminalColor.Indexed(a - 30) },
                >= 40 and <= 47 => new Renditions { Background = TerminalColor.Indexed(a - 40) },
                _ => default,
            };
            Assert.That(r, Is.EqualTo(expected), $"SGR {a}");
        }
    }

    [Test]
    public void TwoFiftySixColourScenario()
    {
        var e = EmulatorTesting.New(200, 50);
        for (int attr = 0; attr <= 255; attr++)
        {
            e.Run($"\e[38;5;{attr}mE\e[m \e[48;5;{attr}mM\e[m ");
        }

        var fb = e.Framebuffer;
        for (int attr = 0; attr <= 255; attr++)
        {
            int cell = attr * 4;
            Assert.That(fb.GetCell(cell / 200, cell % 200).Renditions.Foreground, Is.EqualTo(TerminalColor.Indexed(attr)));
            Assert.That(fb.GetCell((cell + 2) / 200, (cell + 2) % 200).Renditions.Background, Is.EqualTo(TerminalColor.Indexed(attr)));
        }
    }

    [Test]
    public void TrueColourScenarioWithAttributes()
    {
        var e = EmulatorTesting.New(100, 5);
        e.Run("\e[0;1;3;4m");
        for (int attr = 0; attr <= 76; attr++)
        {
            int r = 255 - (attr * 255 / 76), g = attr * 510 / 76, b = attr * 255 / 76;
            if (g > 255)
            {
                g = 510 - g;
            }

            e.Run($"\e[0;1;3;4m\e[48;2;{r};{g};{b}m\e[38;2;{255 - r};{255 - g};{255 - b}mE\e[m");
        }

        var cell = e.Cell(0, 38).Renditions;
        Assert.That(cell.Attributes, Is.EqualTo(TextAttributes.Bold | TextAttributes.Italic | TextAttributes.Underline));
        int rr = 255 - (38 * 255 / 76), gg = 38 * 510 / 76, bb = 38 * 255 / 76;
        Assert.That(cell.Background, Is.EqualTo(TerminalColor.Rgb((byte)rr, (byte)gg, (byte)bb)));
        Assert.That(cell.Foreground, Is.EqualTo(TerminalColor.Rgb((byte)(255 - rr), (byte)(255 - gg), (byte)(255 - bb))));
    }

    [Test]
    public void BackgroundColourEraseScenario()
    {
        var e = EmulatorTesting.New(20, 6).Run(
            "\e[48;2;255;0;255m\e[H\e[JTrue color\r\n\e[48;5;32m\e[J256 color\r\n\e[42m\e[J16 color\r\n\e[0mdone\r\n");
        Assert.That(e.Cell(0, 15).Renditions.Background, Is.EqualTo(TerminalColor.Rgb(255, 0, 255)));
        Assert.That(e.Cell(1, 15).Renditions.Background, Is.EqualTo(TerminalColor.Indexed(32)));
        Assert.That(e.Cell(2, 15).Renditions.Background, Is.EqualTo(TerminalColor.Indexed(2)));
        Assert.That(e.Cell(5, 15).Renditions.Background, Is.EqualTo(TerminalColor.Indexed(2)));
        Assert.That(e.Cell(3, 0).Renditions, Is.EqualTo(default(Renditions)));
        Assert.That(e.Cell(3, 5).Renditions.Background, Is.EqualTo(TerminalColor.Indexed(2)));
    }

    [Test]
    public void ResizeKeepsTheScreenContent()
    {
        var e = EmulatorTesting.New(10, 4).Run("hello\r\nworld");
        e.Resize(3, 2);
        Assert.That((e.Line(0), e.Line(1)), Is.EqualTo(("hel", "wor")));
        Assert.That(e.Cursor(), Is.EqualTo((1, 2)));
        e.Resize(20, 5);
        Assert.That(e.Line(1), Is.EqualTo("wor"));
        e.Run("!");
        Assert.That(e.Line(1), Is.EqualTo("wo!"));
    }

    [Test]
    public void CombiningAfterResizeDroppedItsCellIsIgnored()
    {
        var e = EmulatorTesting.New(10, 4).Run("\e[4;9Ha");
        e.Resize(5, 2);
        e.Run("\u0301");
        Assert.That(e.Cursor(), Is.EqualTo((1, 4)));
    }

    [Test]
    public void EmulatorContinuingFromASnapshotLeavesTheSnapshotUntouched()
    {
        var original = EmulatorTesting.New(10, 3).Run("\e[1;31mab");
        Framebuffer snapshot = original.Framebuffer.Clone();
        var continued = new Emulator(snapshot);
        continued.Run("cd");
        Assert.That(continued.Line(0), Is.EqualTo("abcd"));
        Assert.That(continued.Cell(0, 3).Renditions.Foreground, Is.EqualTo(TerminalColor.Indexed(1)));
        Assert.That(snapshot.GetRow(0).ToString().TrimEnd(), Is.EqualTo("ab"));
    }
}
