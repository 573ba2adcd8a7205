using Mosh.Terminal;

namespace Mosh.Tests.Terminal;

[TestFixture]
public class EmulatorEraseTests
{
    private static Emulator Filled() =>
        EmulatorTesting.New(5, 3).Run("\e[?7labcde\r\nfghij\r\nklmno\e[2;3H");

    private static string[] Lines(Emulator e) => [e.Line(0), e.Line(1), e.Line(2)];

    [Test]
    public void EdZeroErasesFromCursorToEnd() => Assert.That(Lines(Filled().Run("\e[J")), Is.EqualTo(new[] { "abcde", "fg", "" }));

    [Test]
    public void EdOneErasesFromStartToCursorInclusive() => Assert.That(Lines(Filled().Run("\e[1J")), Is.EqualTo(new[] { "", "   ij", "klmno" }));

    [Test]
    public void EdTwoErasesEverythingWithoutMovingTheCursor()
    {
        var e = Filled().Run("\e[2J");
        Assert.That(Lines(e), Is.EqualTo(new[] { "", "", "" }));
        Assert.That(e.Cursor(), Is.EqualTo((1, 2)));
    }

    [Test]
    public void ElZeroErasesToEndOfLine() => Assert.That(Lines(Filled().Run("\e[K")), Is.EqualTo(new[] { "abcde", "fg", "klmno" }));

    [Test]
    public void ElOneErasesToCursorInclusive() => Assert.That(Lines(Filled().Run("\e[1K")), Is.EqualTo(new[] { "abcde", "   ij", "klmno" }));

    [Test]
    public void ElTwoErasesTheLine() => Assert.That(Lines(Filled().Run("\e[2K")), Is.EqualTo(new[] { "abcde", "", "klmno" }));

    [Test]
    public void UnknownEraseModeDoesNothing() => Assert.That(Lines(Filled().Run("\e[5K\e[5J")), Is.EqualTo(new[] { "abcde", "fghij", "klmno" }));

    [Test]
    public void EchErasesCharactersWithoutShifting() => Assert.That(Lines(Filled().Run("\e[2X")), Is.EqualTo(new[] { "abcde", "fg  j", "klmno" }));

    [Test]
    public void EchIsCappedAtTheLineEnd() => Assert.That(Lines(Filled().Run("\e[65535X")), Is.EqualTo(new[] { "abcde", "fg", "klmno" }));

    [Test]
    public void ErasedCellsTakeTheCurrentBackground()
    {
        var e = Filled().Run("\e[44m\e[K");
        Assert.That(e.Cell(1, 4).Renditions, Is.EqualTo(Renditions.WithBackground(TerminalColor.Indexed(4))));
        Assert.That(e.Cell(1, 1).Renditions.Background, Is.EqualTo(TerminalColor.Default));
    }

    [Test]
    public void ErasedCellsDropOtherAttributes()
    {
        var e = Filled().Run("\e[1;31;42m\e[2J");
        Assert.That(e.Cell(0, 0).Renditions, Is.EqualTo(Renditions.WithBackground(TerminalColor.Indexed(2))));
    }

    [Test]
    public void DecalnFillsTheScreenWithE()
    {
        var e = Filled().Run("\e#8");
        Assert.That(Lines(e), Is.EqualTo(new[] { "EEEEE", "EEEEE", "EEEEE" }));
        Assert.That(e.Cursor(), Is.EqualTo((1, 2)));
    }

    [Test]
    public void DecColumnModeClearsTheScreenAndHomes()
    {
        var e = Filled().Run("\e[?3h");
        Assert.That(Lines(e), Is.EqualTo(new[] { "", "", "" }));
        Assert.That(e.Cursor(), Is.EqualTo((0, 0)));
        Assert.That(e.Framebuffer.Width, Is.EqualTo(5));
    }
}
