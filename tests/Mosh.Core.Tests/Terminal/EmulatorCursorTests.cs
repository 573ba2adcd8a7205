using Mosh.Terminal;

namespace Mosh.Tests.Terminal;

[TestFixture]
public class EmulatorCursorTests
{
    private static Emulator At(int row, int col) => EmulatorTesting.New().Run($"\e[{row + 1};{col + 1}H");

    [Test]
    public void CupMovesToOneBasedPosition() => Assert.That(At(4, 9).Cursor(), Is.EqualTo((4, 9)));

    [Test]
    public void CupWithoutParamsHomes() => Assert.That(At(4, 9).Run("\e[H").Cursor(), Is.EqualTo((0, 0)));

    [Test]
    public void CupZeroParamsMeanOne() => Assert.That(At(4, 9).Run("\e[0;0H").Cursor(), Is.EqualTo((0, 0)));

    [Test]
    public void HvpIsCup() => Assert.That(EmulatorTesting.New().Run("\e[3;7f").Cursor(), Is.EqualTo((2, 6)));

    [Test]
    public void CupClampsToScreen() => Assert.That(EmulatorTesting.New().Run("\e[999;999H").Cursor(), Is.EqualTo((23, 79)));

    [Test]
    public void CuuCudCufCubMoveRelativeWithDefaultOne()
    {
        var e = At(10, 10);
        Assert.That(e.Run("\e[A").Cursor(), Is.EqualTo((9, 10)));
        Assert.That(e.Run("\e[3B").Cursor(), Is.EqualTo((12, 10)));
        Assert.That(e.Run("\e[5C").Cursor(), Is.EqualTo((12, 15)));
        Assert.That(e.Run("\e[D").Cursor(), Is.EqualTo((12, 14)));
    }

    [Test]
    public void RelativeMovesStopAtTheEdges()
    {
        var e = At(1, 1);
        Assert.That(e.Run("\e[65535A\e[65535D").Cursor(), Is.EqualTo((0, 0)));
        Assert.That(e.Run("\e[65535B\e[65535C").Cursor(), Is.EqualTo((23, 79)));
    }

    [Test]
    public void ChaAndHpaSetColumn()
    {
        Assert.That(At(5, 5).Run("\e[20G").Cursor(), Is.EqualTo((5, 19)));
        Assert.That(At(5, 5).Run("\e[30`").Cursor(), Is.EqualTo((5, 29)));
    }

    [Test]
    public void VpaSetsRow() => Assert.That(At(5, 5).Run("\e[9d").Cursor(), Is.EqualTo((8, 5)));

    [Test]
    public void CarriageReturnGoesToColumnZero() => Assert.That(At(5, 5).Run("\r").Cursor(), Is.EqualTo((5, 0)));

    [Test]
    public void LineFeedVerticalTabAndFormFeedMoveDownKeepingColumn()
    {
        var e = At(5, 5);
        Assert.That(e.Run("\n").Cursor(), Is.EqualTo((6, 5)));
        Assert.That(e.Run("\v").Cursor(), Is.EqualTo((7, 5)));
        Assert.That(e.Run("\f").Cursor(), Is.EqualTo((8, 5)));
    }

    [Test]
    public void BackspaceMovesLeftAndStopsAtColumnZero()
    {
        Assert.That(At(5, 5).Run("\b").Cursor(), Is.EqualTo((5, 4)));
        Assert.That(At(5, 0).Run("\b").Cursor(), Is.EqualTo((5, 0)));
    }

    [Test]
    public void IndexMovesDownAndScrollsAtBottom()
    {
        var e = EmulatorTesting.New(10, 3).Run("top\e[3;1H\eD");
        Assert.That(e.Cursor(), Is.EqualTo((2, 0)));
        Assert.That(e.Line(0), Is.Empty);
    }

    [Test]
    public void C1IndexWorksLikeEscD()
    {
        var e = EmulatorTesting.New(10, 3).Run("top\e[3;1H\u0084");
        Assert.That(e.Line(0), Is.Empty);
    }

    [Test]
    public void NextLineGoesToColumnZeroOfNextRow() => Assert.That(At(2, 5).Run("\eE").Cursor(), Is.EqualTo((3, 0)));

    [Test]
    public void ReverseIndexMovesUpAndScrollsDownAtTop()
    {
        var e = EmulatorTesting.New(10, 3).Run("a\r\nb\e[H\eM");
        Assert.That(e.Cursor(), Is.EqualTo((0, 0)));
        Assert.That(new[] { e.Line(0), e.Line(1), e.Line(2) }, Is.EqualTo(new[] { "", "a", "b" }));
    }

    [Test]
    public void OriginModeMakesRowsRelativeToTheRegionAndConfinesTheCursor()
    {
        var e = EmulatorTesting.New().Run("\e[5;10r\e[?6h");
        Assert.That(e.Cursor(), Is.EqualTo((4, 0)));
        Assert.That(e.Run("\e[2;3H").Cursor(), Is.EqualTo((5, 2)));
        Assert.That(e.Run("\e[99;1H").Cursor(), Is.EqualTo((9, 0)));
        Assert.That(e.Run("\e[?6l").Cursor(), Is.EqualTo((0, 0)));
    }

    [Test]
    public void DecscAndDecrcSaveAndRestoreCursorRenditionsAndModes()
    {
        var e = At(3, 4).Run("\e[1;31m\e7\e[H\e[0m\e[?7l\e8");
        Assert.That(e.Cursor(), Is.EqualTo((3, 4)));
        Assert.That(e.Framebuffer.State.Renditions.Has(TextAttributes.Bold), Is.True);
        Assert.That(e.Framebuffer.State.Renditions.Foreground, Is.EqualTo(TerminalColor.Indexed(1)));
        Assert.That(e.Framebuffer.State.AutoWrapMode, Is.True);
    }

    [Test]
    public void RestoreWithoutSaveHomesAndResets()
    {
        var e = At(3, 4).Run("\e[1m\e8");
        Assert.That(e.Cursor(), Is.EqualTo((0, 0)));
        Assert.That(e.Framebuffer.State.Renditions, Is.EqualTo(default(Renditions)));
    }

    [Test]
    public void RestoredCursorIsSnappedIntoAShrunkScreen()
    {
        var e = At(20, 70).Run("\e7");
        e.Resize(40, 10);
        e.Run("\e8");
        Assert.That(e.Cursor(), Is.EqualTo((9, 39)));
    }
}
