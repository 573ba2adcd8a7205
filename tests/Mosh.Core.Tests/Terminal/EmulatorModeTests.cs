using Mosh.Terminal;

namespace Mosh.Tests.Terminal;

[TestFixture]
public class EmulatorModeTests
{
    private static DrawState After(string s) => EmulatorTesting.New().Run(s).Framebuffer.State;

    [Test]
    public void ApplicationCursorKeysMode()
    {
        Assert.That(After("\e[?1h").ApplicationModeCursorKeys, Is.True);
        Assert.That(After("\e[?1h\e[?1l").ApplicationModeCursorKeys, Is.False);
    }

    [Test]
    public void ReverseVideoMode() => Assert.That(After("\e[?5h").ReverseVideo, Is.True);

    [Test]
    public void AutowrapMode() => Assert.That(After("\e[?7l").AutoWrapMode, Is.False);

    [Test]
    public void CursorVisibilityMode()
    {
        Assert.That(After("\e[?25l").CursorVisible, Is.False);
        Assert.That(After("\e[?25l\e[?25h").CursorVisible, Is.True);
    }

    [Test]
    public void FocusEventsAlternateScrollAndBracketedPaste()
    {
        var s = After("\e[?1004;1007;2004h");
        Assert.That((s.MouseFocusEvent, s.MouseAlternateScroll, s.BracketedPaste), Is.EqualTo((true, true, true)));
        s = After("\e[?1004;1007;2004h\e[?1004;1007;2004l");
        Assert.That((s.MouseFocusEvent, s.MouseAlternateScroll, s.BracketedPaste), Is.EqualTo((false, false, false)));
    }

    [TestCase(9, (int)MouseReportingMode.X10)]
    [TestCase(1000, (int)MouseReportingMode.Vt220)]
    [TestCase(1001, (int)MouseReportingMode.Vt220Highlight)]
    [TestCase(1002, (int)MouseReportingMode.ButtonEvent)]
    [TestCase(1003, (int)MouseReportingMode.AnyEvent)]
    public void MouseReportingModeIsOneEnum(int mode, int expected) =>
        Assert.That(After($"\e[?1000h\e[?{mode}h").MouseReportingMode, Is.EqualTo((MouseReportingMode)expected));

    [Test]
    public void ResettingAnyMouseReportingModeTurnsReportingOff() =>
        Assert.That(After("\e[?1003h\e[?1000l").MouseReportingMode, Is.EqualTo(MouseReportingMode.None));

    [TestCase(1005, (int)MouseEncodingMode.Utf8)]
    [TestCase(1006, (int)MouseEncodingMode.Sgr)]
    [TestCase(1015, (int)MouseEncodingMode.Urxvt)]
    public void MouseEncodingIsOneEnum(int mode, int expected) =>
        Assert.That(After($"\e[?{mode}h").MouseEncodingMode, Is.EqualTo((MouseEncodingMode)expected));

    [Test]
    public void ResettingAnyMouseEncodingReturnsToDefault() =>
        Assert.That(After("\e[?1006h\e[?1005l").MouseEncodingMode, Is.EqualTo(MouseEncodingMode.Default));

    [Test]
    public void InsertModeIsTheOnlyAnsiMode()
    {
        Assert.That(After("\e[4h").InsertMode, Is.True);
        Assert.That(After("\e[4h\e[4l").InsertMode, Is.False);
        Assert.That(After("\e[20h").InsertMode, Is.False);
    }

    [Test]
    public void DecModesKeepThePendingWrap()
    {
        var e = EmulatorTesting.New(5, 2).Run("abcde\e[?25lx");
        Assert.That(e.Line(1), Is.EqualTo("x"));
    }

    [Test]
    public void SoftResetRestoresModesButKeepsTheScreen()
    {
        var e = EmulatorTesting.New().Run("text\e[4h\e[?6h\e[?25l\e[?1h\e[2;5r\e[1;31m\e7\e[!p");
        var s = e.Framebuffer.State;
        Assert.That((s.InsertMode, s.OriginMode, s.CursorVisible, s.ApplicationModeCursorKeys), Is.EqualTo((false, false, true, false)));
        Assert.That((s.ScrollingRegionTop, s.ScrollingRegionBottom), Is.EqualTo((0, 23)));
        Assert.That(s.Renditions, Is.EqualTo(default(Renditions)));
        Assert.That(s.SavedCursor.Row, Is.Zero);
        Assert.That(e.Line(0), Is.EqualTo("text"));
    }

    [Test]
    public void FullResetClearsScreenModesAndTitleButKeepsTheBellCount()
    {
        var e = EmulatorTesting.New().Run("text\a\e]2;title\a\e]52;c;YQ==\a\e[?25l\e[5;5H\ec");
        Assert.That(e.Line(0), Is.Empty);
        Assert.That(e.Cursor(), Is.EqualTo((0, 0)));
        Assert.That(e.Framebuffer.State.CursorVisible, Is.True);
        Assert.That(e.Framebuffer.BellCount, Is.EqualTo(1));
        Assert.That(e.Framebuffer.WindowTitle, Is.Empty);
        Assert.That(e.Framebuffer.Clipboard, Is.Empty);
    }
}
