using Mosh.Terminal;

namespace Mosh.Tests.Terminal;

[TestFixture]
public class EmulatorPrintTests
{
    [Test]
    public void PrintingAdvancesTheCursor()
    {
        var e = EmulatorTesting.New().Run("hello");
        Assert.That(e.Line(0), Is.EqualTo("hello"));
        Assert.That(e.Cursor(), Is.EqualTo((0, 5)));
    }

    [Test]
    public void PrintingTheLastColumnDefersTheWrap()
    {
        var e = EmulatorTesting.New(5, 3).Run("abcde");
        Assert.That(e.Cursor(), Is.EqualTo((0, 4)));
        Assert.That(e.Framebuffer.State.NextPrintWillWrap, Is.True);
        Assert.That(e.Framebuffer.GetRow(0).Wrap, Is.False);
    }

    [Test]
    public void NextCharacterAfterTheLastColumnWrapsAndMarksTheRow()
    {
        var e = EmulatorTesting.New(5, 3).Run("abcdef");
        Assert.That(e.Line(1), Is.EqualTo("f"));
        Assert.That(e.Framebuffer.GetRow(0).Wrap, Is.True);
        Assert.That(e.Cursor(), Is.EqualTo((1, 1)));
    }

    [Test]
    public void WrapAtTheBottomScrolls()
    {
        var e = EmulatorTesting.New(3, 2).Run("abcdefg");
        Assert.That((e.Line(0), e.Line(1)), Is.EqualTo(("def", "g")));
    }

    [Test]
    public void AutowrapOffOverwritesTheLastColumn()
    {
        var e = EmulatorTesting.New(5, 3).Run("\e[?7labcdefgh");
        Assert.That(e.Line(0), Is.EqualTo("abcdh"));
        Assert.That(e.Line(1), Is.Empty);
    }

    [Test]
    public void AutowrapOffSingleCharactersAlsoOverwriteTheLastColumn()
    {
        var e = EmulatorTesting.New(5, 3).Run("\e[?7labcde");
        e.Run("f").Run("g");
        Assert.That(e.Line(0), Is.EqualTo("abcdg"));
    }

    [Test]
    public void CursorMotionClearsThePendingWrap()
    {
        var e = EmulatorTesting.New(5, 3).Run("abcde\e[Cx");
        Assert.That(e.Line(0), Is.EqualTo("abcdx"));
        Assert.That(e.Line(1), Is.Empty);
    }

    [Test]
    public void UnknownControlClearsThePendingWrap()
    {
        var e = EmulatorTesting.New(5, 3).Run("abcde\u0001x");
        Assert.That(e.Line(0), Is.EqualTo("abcdx"));
    }

    [Test]
    public void SgrKeepsThePendingWrap()
    {
        var e = EmulatorTesting.New(5, 3).Run("abcde\e[1mx");
        Assert.That(e.Line(1), Is.EqualTo("x"));
    }

    [Test]
    public void WideCharacterTakesTwoColumns()
    {
        var e = EmulatorTesting.New().Run("中x");
        Assert.That(e.Cell(0, 0).IsWide, Is.True);
        Assert.That(e.Text(0, 0), Is.EqualTo("中"));
        Assert.That(e.Cell(0, 1).IsEmpty, Is.True);
        Assert.That(e.Text(0, 2), Is.EqualTo("x"));
    }

    [Test]
    public void WideCharacterAtTheLastColumnWrapsEarlyWithoutWrapFlag()
    {
        var e = EmulatorTesting.New(5, 3).Run("abcd中");
        Assert.That(e.Cell(0, 4).IsEmpty, Is.True);
        Assert.That(e.Framebuffer.GetRow(0).Wrap, Is.False);
        Assert.That(e.Text(1, 0), Is.EqualTo("中"));
        Assert.That(e.Cursor(), Is.EqualTo((1, 2)));
    }

    [Test]
    public void WideCharacterOverwritesTheCellToItsRight()
    {
        var e = EmulatorTesting.New().Run("abc\r中");
        Assert.That(e.Cell(0, 1).IsEmpty, Is.True);
        Assert.That(e.Text(0, 2), Is.EqualTo("c"));
    }

    [Test]
    public void CombiningCharacterJoinsThePreviousCell()
    {
        var e = EmulatorTesting.New().Run("e\u0301x");
        Assert.That(e.Text(0, 0), Is.EqualTo("e\u0301"));
        Assert.That(e.Text(0, 1), Is.EqualTo("x"));
    }

    [Test]
    public void CombiningCharacterJoinsAWideCell()
    {
        var e = EmulatorTesting.New().Run("中\u0301");
        Assert.That(e.Text(0, 0), Is.EqualTo("中\u0301"));
        Assert.That(e.Cursor(), Is.EqualTo((0, 2)));
    }

    [Test]
    public void CombiningCharacterOnLastColumnJoinsItDespitePendingWrap()
    {
        var e = EmulatorTesting.New(3, 2).Run("abc\u0301");
        Assert.That(e.Text(0, 2), Is.EqualTo("c\u0301"));
        Assert.That(e.Framebuffer.State.NextPrintWillWrap, Is.True);
    }

    [Test]
    public void CombiningCharacterAfterCursorMoveTargetsTheCursorCell()
    {
        var e = EmulatorTesting.New().Run("ab\e[D\u0301");
        // After CUB the combining target is the cursor cell 'b', which is not empty.
        Assert.That(e.Text(0, 1), Is.EqualTo("b\u0301"));
    }

    [Test]
    public void CombiningOnAnEmptyCellMakesAFallbackCellAndAdvances()
    {
        var e = EmulatorTesting.New().Run("\u0302");
        Assert.That(e.Cell(0, 0).IsFallback, Is.True);
        Assert.That(e.Text(0, 0), Is.EqualTo("\u0302"));
        Assert.That(e.Cursor(), Is.EqualTo((0, 1)));
    }

    [Test]
    public void CombiningMarksStopAtThirtyTwoBytes()
    {
        var e = EmulatorTesting.New().Run("a" + new string('\u0301', 100));
        Assert.That(e.Cell(0, 0).Utf8Length, Is.LessThanOrEqualTo(Cell.MaxContentsUtf8Length + 3));
        Assert.That(e.Cursor(), Is.EqualTo((0, 1)));
    }

    [Test]
    public void NonPrintableCharactersAreIgnored()
    {
        var e = EmulatorTesting.New().Run("a\u007f\u00ADb");
        // DEL is not printable; SOFT HYPHEN is printable ISO 8859-1 and takes a column, as upstream.
        Assert.That(e.Line(0), Is.EqualTo("a\u00ADb"));
    }

    [Test]
    public void Latin1TextIsOneColumnPerCharacter()
    {
        const string latin1 = "¡¢£¤¥¦§¨©ª«¬®¯°±²³´µ¶·¸¹º»¼½¾¿ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖ×ØÙÚÛÜÝÞßàáâãäåæçèéêëìíîïðñòóôõö÷øùúûüýþÿ";
        var e = EmulatorTesting.New(100, 2).Run(latin1);
        Assert.That(e.Line(0), Is.EqualTo(latin1));
        Assert.That(e.Cursor().Col, Is.EqualTo(latin1.Length));
    }

    [Test]
    public void AsciiTableMatchesUpstreamScenario()
    {
        var e = EmulatorTesting.New();
        string line = string.Concat(Enumerable.Range(0x20, 0x5F).Select(c => (char)c));
        e.Run(line);
        Assert.That(e.Line(0) + e.Line(1), Is.EqualTo(line));
    }

    [Test]
    public void InsertModeShiftsTheLineRight()
    {
        var e = EmulatorTesting.New().Run("world\r\e[4hhello \e[4lX");
        Assert.That(e.Line(0), Is.EqualTo("hello Xorld"));
    }

    [Test]
    public void InsertModeWideCharacterInsertsTwoCells()
    {
        var e = EmulatorTesting.New().Run("ab\r\e[4h中");
        Assert.That(e.Text(0, 2), Is.EqualTo("a"));
        Assert.That(e.Text(0, 3), Is.EqualTo("b"));
    }

    [Test]
    public void PrintedCellsTakeTheCurrentRenditions()
    {
        var e = EmulatorTesting.New().Run("\e[1;4;35;42mX");
        var r = e.Cell(0, 0).Renditions;
        Assert.That(r.Has(TextAttributes.Bold) && r.Has(TextAttributes.Underline), Is.True);
        Assert.That((r.Foreground, r.Background), Is.EqualTo((TerminalColor.Indexed(5), TerminalColor.Indexed(2))));
    }

    [Test]
    public void InvalidUtf8PrintsReplacementCharacter()
    {
        var e = EmulatorTesting.New();
        e.Write([0x61, 0xC3, 0x28]);
        Assert.That(e.Line(0), Is.EqualTo("a\uFFFD("));
    }

    [Test]
    public void PrintingOverTheLastColumnOfAWrappedRowClearsItsWrapFlag()
    {
        var e = EmulatorTesting.New(3, 3).Run("abcd\e[1;3HZ");
        Assert.That(e.Framebuffer.GetRow(0).Wrap, Is.False);
    }
}
