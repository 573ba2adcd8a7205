using System.Buffers;
using Mosh.Terminal;

namespace Mosh.Tests.Terminal;

/// <summary>The bytes the display writes, feature by feature.</summary>
[TestFixture]
public class DisplayTests
{
    private static readonly Display Server = Display.ForServer();

    /// <summary>A frame whose rows start with the given text (ASCII, default renditions), cursor at (0,0).</summary>
    private static Framebuffer Screen(int width, int height, params string[] lines)
    {
        var frame = new Framebuffer(width, height);
        for (int y = 0; y < lines.Length; y++)
        {
            Write(frame, y, 0, lines[y]);
        }

        return frame;
    }

    private static void Write(Framebuffer frame, int y, int x, string text, Renditions renditions = default)
    {
        Row row = frame.GetMutableRow(y);
        foreach (char c in text)
        {
            row.SetCharacter(x++, c, renditions, wide: false);
        }
    }

    private static Framebuffer Evolved(Framebuffer last, Action<Framebuffer> change)
    {
        Framebuffer next = last.Clone();
        change(next);
        return next;
    }

    private static string Visible(string s) =>
        s.Replace("\e", "\\e", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal)
            .Replace("\n", "\\n", StringComparison.Ordinal).Replace("\b", "\\b", StringComparison.Ordinal)
            .Replace("\a", "\\a", StringComparison.Ordinal);

    private static void AssertDiff(Display display, Framebuffer last, Framebuffer next, string expected) =>
        Assert.That(Visible(display.NewFrame(true, last, next)), Is.EqualTo(Visible(expected)));

    [Test]
    public void BellIsRungWhenTheBellCountChanged()
    {
        Framebuffer last = Screen(10, 3);
        AssertDiff(Server, last, Evolved(last, f => f.RingBell()), "\a");
        AssertDiff(Server, last, last.Clone(), "");
    }

    [Test]
    public void EqualTitleAndIconNameAreWrittenAsOneOsc0WithThePrefix()
    {
        var display = new Display(true, true, true) { TitlePrefix = "[mosh] " };
        Framebuffer last = Screen(10, 3);
        Framebuffer next = Evolved(last, f =>
        {
            f.SetTitleInitialized();
            f.SetWindowTitle("vim ü");
            f.SetIconName("vim ü");
        });
        AssertDiff(display, last, next, "\e]0;[mosh] vim ü\a");
    }

    [Test]
    public void DifferentTitleAndIconNameAreWrittenAsOsc1AndOsc2WithThePrefixOnTheTitle()
    {
        var display = new Display(true, true, true) { TitlePrefix = "[mosh] " };
        Framebuffer last = Screen(10, 3);
        Framebuffer next = Evolved(last, f =>
        {
            f.SetTitleInitialized();
            f.SetWindowTitle("title");
            f.SetIconName("icon");
        });
        AssertDiff(display, last, next, "\e]1;icon\a\e]2;[mosh] title\a");
    }

    [Test]
    public void TitleIsNotWrittenToATerminalWithoutTitlesOrBeforeTheApplicationSetOne()
    {
        Framebuffer last = Screen(10, 3);
        Framebuffer titled = Evolved(last, f =>
        {
            f.SetTitleInitialized();
            f.SetWindowTitle("t");
        });
        AssertDiff(new Display(true, true, hasTitle: false), last, titled, "");
        Assert.That(Server.NewFrame(false, last, Screen(10, 3)), Does.Not.Contain("\e]0;").And.Not.Contain("\e]2;"));
        Assert.That(Server.NewFrame(false, last, titled), Does.Contain("\e]1;\a\e]2;t\a"));
    }

    [Test]
    public void ChangedClipboardIsWrittenAsOsc52()
    {
        Framebuffer last = Screen(10, 3);
        AssertDiff(Server, last, Evolved(last, f => f.SetClipboard("aGVsbG8=")), "\e]52;c;aGVsbG8=\a");
    }

    [Test]
    public void ReverseVideoChangeIsWritten()
    {
        Framebuffer last = Screen(10, 3);
        AssertDiff(Server, last, Evolved(last, f => f.State.ReverseVideo = true), "\e[?5h");
        Framebuffer reversed = Evolved(last, f => f.State.ReverseVideo = true);
        AssertDiff(Server, reversed, last, "\e[?5l");
    }

    [Test]
    public void UninitializedFrameResetsTheScreenAndEveryModeBeforeDrawing()
    {
        Framebuffer frame = Screen(10, 2, "hi");
        string diff = Server.NewFrame(false, frame, frame);
        Assert.That(Visible(diff), Is.EqualTo(Visible(
            "\e[?5l\e[r\e[0m\e[H\e[2J\e]8;;\a\e[?25l" // reset, link closed, cursor hidden while drawing
            + "hi\e[K\r\n\e[K"                           // rows
            + "\e[1;1H\e[?25h\e[0m"                    // cursor, visibility, renditions
            + "\e[?2004l\e[?1003l\e[?1002l\e[?1001l\e[?1000l\e[?1004l\e[?1015l\e[?1006l\e[?1005l")));
    }

    [Test]
    public void SizeChangeRedrawsEverythingFromAClearedScreen()
    {
        Framebuffer last = Screen(10, 3, "abc");
        Framebuffer next = Evolved(last, f => f.Resize(12, 3));
        string diff = Server.NewFrame(true, last, next);
        Assert.That(diff, Does.StartWith("\e[r\e[0m\e[H\e[2J"));
        Assert.That(diff, Does.Contain("abc"));
    }

    [Test]
    public void WholeScreenScrollFromTheBottomRowIsSentAsLineFeedsNotARedraw()
    {
        Framebuffer last = Screen(10, 4, "one", "two", "three", "four");
        last.State.MoveRow(3);
        Framebuffer next = Evolved(last, f =>
        {
            f.Scroll(2);
            Write(f, 2, 0, "five");
            Write(f, 3, 0, "six");
        });
        AssertDiff(Server, last, next, "\e[0m\r\n\n" + "\e[?25l\e[3;1Hfive\r\nsix\r\e[?25h");
    }

    [Test]
    public void ScrollOfTheTopPartOfTheScreenUsesAScrollingRegion()
    {
        Framebuffer last = Screen(10, 5, "one", "two", "three", "four", "status");
        Framebuffer next = Evolved(last, f =>
        {
            f.State.SetScrollingRegion(0, 3);
            f.Scroll(1);
            f.State.SetScrollingRegion(0, 4);
            Write(f, 3, 0, "new");
        });
        AssertDiff(Server, last, next, "\e[0m\e[1;4r\e[?25l\e[4;1H\n\e[r" + "\e[4;1Hnew\e[1;1H\e[?25h");
    }

    [Test]
    public void InteriorBlankRunIsErasedWithEchOnlyWhenTheTerminalHasIt()
    {
        Framebuffer last = Screen(20, 1, "abcdefghijklmnop");
        Framebuffer next = Evolved(last, f => f.ResetCells(0, 2, 8));
        AssertDiff(new Display(hasEch: true, hasBce: true, hasTitle: false), last, next, "\e[?25l\e[1;3H\e[7X\r\e[?25h");
        AssertDiff(new Display(hasEch: false, hasBce: true, hasTitle: false), last, next, "\e[?25l\e[1;3H       \r\e[?25h");
    }

    [Test]
    public void ShortBlankRunIsWrittenAsSpaces()
    {
        Framebuffer last = Screen(20, 1, "abcdefghijklmnop");
        Framebuffer next = Evolved(last, f => f.ResetCells(0, 2, 5));
        AssertDiff(Server, last, next, "\e[?25l\e[1;3H    \r\e[?25h");
    }

    [Test]
    public void ColouredBlanksAreErasedOnlyOnATerminalWithBce()
    {
        Framebuffer last = Screen(20, 1, "abcdefghijklmnop");
        Framebuffer next = Evolved(last, f =>
        {
            f.State.Renditions = Renditions.WithBackground(TerminalColor.Indexed(4));
            f.ResetCells(0, 2, 8);
            f.State.Renditions = default;
        });
        AssertDiff(new Display(hasEch: true, hasBce: true, hasTitle: false), last, next,
            "\e[?25l\e[1;3H\e[0;44m\e[7X\r\e[?25h\e[0m");
        AssertDiff(new Display(hasEch: true, hasBce: false, hasTitle: false), last, next,
            "\e[?25l\e[1;3H\e[0;44m       \r\e[?25h\e[0m");
    }

    [Test]
    public void TrailingBlanksAreErasedToTheEndOfTheLine()
    {
        Framebuffer last = Screen(20, 1, "abcdefghijklmnop");
        Framebuffer next = Evolved(last, f => f.ResetCells(0, 4, 19));
        AssertDiff(new Display(hasEch: false, hasBce: false, hasTitle: false), last, next, "\e[?25l\e[1;5H\e[K\r\e[?25h");
    }

    [Test]
    public void CursorMovesUseCrLfForNearbyRowStartsBackspaceForShortLeftMovesAndCupOtherwise()
    {
        Framebuffer last = Screen(20, 10);
        last.State.MoveRow(2);
        last.State.MoveColumn(5);
        AssertDiff(Server, last, Evolved(last, f => { f.State.MoveRow(4); f.State.MoveColumn(0); }), "\r\n\n");
        AssertDiff(Server, last, Evolved(last, f => f.State.MoveColumn(2)), "\b\b\b");
        AssertDiff(Server, last, Evolved(last, f => f.State.MoveColumn(0)), "\r");
        AssertDiff(Server, last, Evolved(last, f => { f.State.MoveRow(8); f.State.MoveColumn(0); }), "\e[9;1H");
        AssertDiff(Server, last, Evolved(last, f => f.State.MoveColumn(9)), "\e[3;10H");
        AssertDiff(Server, last, Evolved(last, f => f.State.MoveRow(1)), "\e[2;6H");
    }

    [Test]
    public void CursorIsHiddenWhileDrawingAndShownAgainAfter()
    {
        Framebuffer last = Screen(10, 2);
        AssertDiff(Server, last, Evolved(last, f => Write(f, 1, 3, "x")), "\e[?25l\e[2;4Hx\e[1;1H\e[?25h");
        Framebuffer hidden = Evolved(last, f => f.State.CursorVisible = false);
        AssertDiff(Server, last, hidden, "\e[?25l");
        AssertDiff(Server, hidden, Evolved(hidden, f => Write(f, 1, 3, "x")), "\e[2;4Hx\e[1;1H");
    }

    [Test]
    public void RenditionsAreWrittenAsSgrIncluding256And24BitColours()
    {
        var r = default(Renditions);
        r.Set(TextAttributes.Bold, true);
        r.Set(TextAttributes.Underline, true);
        r.Foreground = TerminalColor.Indexed(200);
        r.Background = TerminalColor.Rgb(1, 2, 3);
        Framebuffer last = Screen(10, 1);
        last.State.CursorVisible = false;
        AssertDiff(Server, last, Evolved(last, f => Write(f, 0, 0, "ab", r)), "\e[0;1;4;38;5;200;48;2;1;2;3mab\r\e[0m");
        AssertDiff(Server, last, Evolved(last, f => f.State.Renditions = r), "\e[0;1;4;38;5;200;48;2;1;2;3m");
    }

    [Test]
    public void HyperlinkIsOpenedBeforeLinkedCellsAndClosedAfter()
    {
        Framebuffer last = Screen(10, 1);
        last.State.CursorVisible = false;
        Framebuffer next = Evolved(last, f =>
        {
            var linked = new Renditions { HyperlinkId = f.InternHyperlink(new Hyperlink("id=7", "https://example.com/")) };
            Write(f, 0, 0, "ab", linked);
            Write(f, 0, 2, "c");
        });
        AssertDiff(Server, last, next, "\e]8;id=7;https://example.com/\aab\e]8;;\ac\r");
    }

    [Test]
    public void WideCharacterEndingAtTheLastColumnIsPrintedAndTheNextRowStartsWithCrLf()
    {
        Framebuffer last = Screen(4, 2);
        last.State.CursorVisible = false;
        Framebuffer next = Evolved(last, f =>
        {
            Row row = f.GetMutableRow(0);
            row.SetCharacter(2, 0x4E2D, default, wide: true);
            f.State.MoveRow(1);
            f.State.MoveColumn(1);
        });
        AssertDiff(Server, last, next, "\e[1;3H中\r\n\e[2;2H");
    }

    [Test]
    public void WideCharacterCutByTheRightEdgeIsDrawnAsASpace()
    {
        Framebuffer last = Screen(4, 1);
        last.State.CursorVisible = false;
        Framebuffer next = Evolved(last, f => f.GetMutableRow(0).SetCharacter(3, 0x4E2D, default, wide: true));
        AssertDiff(Server, last, next, "\e[1;4H \r");
    }

    [Test]
    public void MarkOnAnEmptyCellIsDrawnOnANoBreakSpaceAndMarksFollowTheirBase()
    {
        Framebuffer last = Screen(10, 1);
        last.State.CursorVisible = false;
        Framebuffer next = Evolved(last, f =>
        {
            Row row = f.GetMutableRow(0);
            row.AppendToCell(0, 0x301);
            row.SetFallback(0, true);
            row.SetCharacter(1, 'e', default, wide: false);
            row.AppendToCell(1, 0x302);
        });
        AssertDiff(Server, last, next, "\u00A0\u0301e\u0302\r");
    }

    [Test]
    public void WrappedRowEndsWithItsLastCellAndTheNextRowContinuesWithoutAMove()
    {
        Framebuffer last = Screen(3, 2);
        last.State.CursorVisible = false;
        Framebuffer next = Evolved(last, f =>
        {
            Write(f, 0, 0, "abc");
            f.GetMutableRow(0).Wrap = true;
            Write(f, 1, 0, "d");
            f.State.MoveRow(1);
            f.State.MoveColumn(1);
        });
        AssertDiff(Server, last, next, "abcd");
    }

    [Test]
    public void RowWhoseWrapFlagAloneChangedIsRedrawnFromItsLastCell()
    {
        Framebuffer last = Screen(3, 2, "abc", "d");
        last.State.CursorVisible = false;
        Framebuffer wrapped = Evolved(last, f => f.GetMutableRow(0).Wrap = true);
        AssertDiff(Server, last, wrapped, "\e[1;3Hcd\e[1;1H");
        AssertDiff(Server, wrapped, last, "\e[1;3Hc\r\n\e[1;1H");
    }

    [Test]
    public void LastCellUnderACursorAtTheLastColumnIsPrintedAfterAnExplicitMoveBecauseTheTerminalMayHoldAPendingWrap()
    {
        // The cursor ended the last frame on the last column: a terminal that printed there waits to wrap, so
        // printing the row's last cell straight away would land it on the next row (upstream's rule too).
        Framebuffer last = Screen(3, 2, "abc", "d");
        last.State.CursorVisible = false;
        last.State.MoveColumn(2);
        Framebuffer wrapped = Evolved(last, f => f.GetMutableRow(0).Wrap = true);
        AssertDiff(Server, last, wrapped, "\e[1;3Hcd\e[1;3H");
        AssertDiff(Server, last, Evolved(last, f => Write(f, 0, 2, "x")), "\e[1;3Hx\r\n\e[1;3H");
        AssertDiff(Server, last, Evolved(last, f => f.State.MoveColumn(0)), "\r");
        AssertDiff(Server, last, last.Clone(), "");
    }

    [Test]
    public void WrappingBottomRowScrolledUpIsRedrawnFromItsLastCellBecauseTheTerminalCouldNotWrapIt()
    {
        Framebuffer last = Screen(3, 3, "abc", "def", "ghi");
        last.GetMutableRow(2).Wrap = true;
        last.State.CursorVisible = false;
        last.State.MoveRow(2);
        Framebuffer next = Evolved(last, f =>
        {
            f.Scroll(1);
            Write(f, 2, 0, "jkl");
            f.State.MoveColumn(2);
        });
        AssertDiff(Server, last, next, "\e[0m\r\n\e[2;3Hijkl\e[3;3H");
    }

    [Test]
    public void MouseReportingChangeTurnsTheOldModeOffAndTheNewOneOn()
    {
        Framebuffer last = Screen(5, 1);
        last.State.MouseReportingMode = MouseReportingMode.Vt220;
        AssertDiff(Server, last, Evolved(last, f => f.State.MouseReportingMode = MouseReportingMode.AnyEvent), "\e[?1000l\e[?1003h");
        AssertDiff(Server, last, Evolved(last, f => f.State.MouseReportingMode = MouseReportingMode.None), "\e[?1003l\e[?1002l\e[?1001l\e[?1000l");
        Framebuffer none = Evolved(last, f => f.State.MouseReportingMode = MouseReportingMode.None);
        AssertDiff(Server, none, last, "\e[?1000h");
    }

    [Test]
    public void MouseEncodingChangeTurnsTheOldEncodingOffAndTheNewOneOn()
    {
        Framebuffer last = Screen(5, 1);
        AssertDiff(Server, last, Evolved(last, f => f.State.MouseEncodingMode = MouseEncodingMode.Sgr), "\e[?1006h");
        Framebuffer sgr = Evolved(last, f => f.State.MouseEncodingMode = MouseEncodingMode.Sgr);
        AssertDiff(Server, sgr, Evolved(sgr, f => f.State.MouseEncodingMode = MouseEncodingMode.Urxvt), "\e[?1006l\e[?1015h");
        AssertDiff(Server, sgr, last, "\e[?1015l\e[?1006l\e[?1005l");
    }

    [Test]
    public void FocusEventsAndBracketedPasteChangesAreWritten()
    {
        Framebuffer last = Screen(5, 1);
        AssertDiff(Server, last, Evolved(last, f => f.State.MouseFocusEvent = true), "\e[?1004h");
        AssertDiff(Server, last, Evolved(last, f => f.State.BracketedPaste = true), "\e[?2004h");
    }

    [Test]
    public void OpenEntersTheAlternateScreenAndApplicationCursorKeys()
    {
        var display = new Display(true, true, true, "\e[?1049h", "\e[?1049l");
        Assert.That(display.Open(), Is.EqualTo("\e[?1049h\e[?1h"));
        Assert.That(display.Close(), Is.EqualTo(
            "\e[?1l\e[0m\e[?25h\e[?1003l\e[?1002l\e[?1001l\e[?1000l\e[?1015l\e[?1006l\e[?1005l\e[?1049l"));
        Assert.That(Server.Open(), Is.EqualTo("\e[?1h"));
    }

    [Test]
    public void TerminalCapabilitiesComeFromTerminfo()
    {
        Display xterm = Display.ForTerminal("xterm-256color", TerminfoDatabase.Load("xterm-256color"), noTermInit: false);
        Assert.That((xterm.HasEch, xterm.HasBce, xterm.HasTitle), Is.EqualTo((true, true, true)));
        Assert.That(xterm.EnterCaMode, Is.EqualTo("\e[?1049h\e[22;0;0t"));
        Assert.That(xterm.ExitCaMode, Is.EqualTo("\e[?1049l\e[23;0;0t"));

        Display screen = Display.ForTerminal("screen", TerminfoDatabase.Load("screen"), noTermInit: true);
        Assert.That((screen.HasEch, screen.HasBce, screen.HasTitle), Is.EqualTo((false, false, true)));
        Assert.That(screen.EnterCaMode, Is.Null);

        Display linux = Display.ForTerminal("linux", TerminfoDatabase.Load("linux"), noTermInit: false);
        Assert.That((linux.HasEch, linux.HasBce, linux.HasTitle), Is.EqualTo((true, true, false)));
    }

    [Test]
    public void UnknownTerminalTypeIsAnError()
    {
        Assert.That(() => Display.ForTerminal("no-such-terminal", TerminfoDatabase.Load("no-such-terminal"), false),
            Throws.InvalidOperationException.With.Message.EqualTo("Unknown terminal type."));
    }

    [TestCase("xterm-256color", true)]
    [TestCase("rxvt-unicode", true)]
    [TestCase("kterm", true)]
    [TestCase("Eterm-color", true)]
    [TestCase("alacritty", true)]
    [TestCase("screen.xterm-256color", true)]
    [TestCase("tmux-256color", true)]
    [TestCase("linux", false)]
    [TestCase("vt100", false)]
    [TestCase("dumb", false)]
    [TestCase("", false)]
    [TestCase(null, false)]
    public void TitlesAreSentOnlyToKnownTerminalFamilies(string? term, bool expected) =>
        Assert.That(Display.SupportsTitle(term), Is.EqualTo(expected));

    [Test]
    public void ServerDisplayAssumesAMoshEmulator()
    {
        Assert.That((Server.HasEch, Server.HasBce, Server.HasTitle), Is.EqualTo((true, true, true)));
        Assert.That(Server.EnterCaMode, Is.Null);
    }

    [Test]
    public void SteadyStateFrameDiffAllocatesNothing()
    {
        var random = new Random(5);
        Framebuffer last = DisplayScreens.RandomFrame(random, 80, 24);
        Framebuffer next = DisplayScreens.Evolve(random, last);
        var output = new ArrayBufferWriter<byte>(1 << 16);
        for (int i = 0; i < 3; i++)
        {
            output.ResetWrittenCount();
            Server.NewFrame(false, last, next, output);
            Server.NewFrame(true, last, next, output);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            output.ResetWrittenCount();
            Server.NewFrame(false, last, next, output);
            Server.NewFrame(true, last, next, output);
        }

        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
        Assert.That(output.WrittenCount, Is.GreaterThan(1000));
    }
}
