using Mosh.Terminal;

namespace Mosh.Tests.Terminal;

[TestFixture]
public class EmulatorEditTests
{
    private static Emulator Numbered(int height = 5)
    {
        var e = EmulatorTesting.New(10, height);
        for (int i = 0; i < height; i++)
        {
            e.Run((i > 0 ? "\r\n" : "") + "line" + i);
        }

        return e;
    }

    private static string[] Lines(Emulator e) => Enumerable.Range(0, e.Framebuffer.Height).Select(e.Line).ToArray();

    [Test]
    public void IchInsertsBlanksAtTheCursor() => Assert.That(EmulatorTesting.New().Run("abcdef\e[3G\e[2@").Line(0), Is.EqualTo("ab  cdef"));

    [Test]
    public void IchDefaultsToOne() => Assert.That(EmulatorTesting.New().Run("abc\e[1G\e[@").Line(0), Is.EqualTo(" abc"));

    [Test]
    public void DchDeletesAtTheCursor() => Assert.That(EmulatorTesting.New().Run("abcdef\e[2G\e[2P").Line(0), Is.EqualTo("adef"));

    [Test]
    public void DchBlanksTakeTheBackground()
    {
        var e = EmulatorTesting.New(5, 2).Run("abcde\e[1G\e[41m\e[P");
        Assert.That(e.Cell(0, 4).Renditions.Background, Is.EqualTo(TerminalColor.Indexed(1)));
    }

    [Test]
    public void IlInsertsLinesAtTheCursorRowAndGoesToColumnZero()
    {
        var e = Numbered().Run("\e[2;4H\e[2L");
        Assert.That(Lines(e), Is.EqualTo(new[] { "line0", "", "", "line1", "line2" }));
        Assert.That(e.Cursor(), Is.EqualTo((1, 0)));
    }

    [Test]
    public void DlDeletesLinesAndBlankLinesEnterAtTheBottom()
    {
        var e = Numbered().Run("\e[2;4H\e[2M");
        Assert.That(Lines(e), Is.EqualTo(new[] { "line0", "line3", "line4", "", "" }));
        Assert.That(e.Cursor(), Is.EqualTo((1, 0)));
    }

    [Test]
    public void IlAndDlWorkInsideTheScrollingRegionOnly()
    {
        var e = Numbered().Run("\e[2;4r\e[3;1H\e[L");
        Assert.That(Lines(e), Is.EqualTo(new[] { "line0", "line1", "", "line2", "line4" }));
        e.Run("\e[2;1H\e[9M");
        Assert.That(Lines(e), Is.EqualTo(new[] { "line0", "", "", "", "line4" }));
    }

    [Test]
    public void IlOutsideTheRegionDoesNothingButStillGoesToColumnZero()
    {
        var e = Numbered().Run("\e[2;3r\e[5;4H\e[L");
        Assert.That(Lines(e)[4], Is.EqualTo("line4"));
        Assert.That(e.Cursor(), Is.EqualTo((4, 0)));
    }

    [Test]
    public void SuScrollsUpWithoutMovingTheCursor()
    {
        var e = Numbered().Run("\e[3;4H\e[2S");
        Assert.That(Lines(e), Is.EqualTo(new[] { "line2", "line3", "line4", "", "" }));
        Assert.That(e.Cursor(), Is.EqualTo((2, 3)));
    }

    [Test]
    public void SdScrollsDownWithoutMovingTheCursor()
    {
        var e = Numbered().Run("\e[3;4H\e[T");
        Assert.That(Lines(e), Is.EqualTo(new[] { "", "line0", "line1", "line2", "line3" }));
        Assert.That(e.Cursor(), Is.EqualTo((2, 3)));
    }

    [Test]
    public void LineFeedAtRegionBottomScrollsOnlyTheRegion()
    {
        var e = Numbered().Run("\e[2;4r\e[4;1H\n");
        Assert.That(Lines(e), Is.EqualTo(new[] { "line0", "line2", "line3", "", "line4" }));
    }

    [Test]
    public void LineFeedBelowTheRegionMovesWithoutScrolling()
    {
        var e = Numbered().Run("\e[1;2r\e[4;1H\n\n\n");
        Assert.That(Lines(e)[0], Is.EqualTo("line0"));
        Assert.That(e.Cursor(), Is.EqualTo((4, 0)));
    }

    [Test]
    public void DecstbmHomesTheCursor() => Assert.That(Numbered().Run("\e[2;4r").Cursor(), Is.EqualTo((0, 0)));

    [Test]
    public void InvalidDecstbmIsIgnored()
    {
        var e = Numbered().Run("\e[3;3H\e[4;2r");
        Assert.That(e.Cursor(), Is.EqualTo((2, 2)));
        Assert.That(e.Framebuffer.State.ScrollingRegionBottom, Is.EqualTo(4));
    }

    [Test]
    public void DecstbmBottomBeyondScreenIsClamped()
    {
        var e = Numbered().Run("\e[2;99r");
        Assert.That((e.Framebuffer.State.ScrollingRegionTop, e.Framebuffer.State.ScrollingRegionBottom), Is.EqualTo((1, 4)));
    }
}
