using Mosh.Terminal;

namespace Mosh.Tests.Terminal;

[TestFixture]
public class EmulatorSgrTests
{
    private static Renditions After(string sgr) => EmulatorTesting.New().Run(sgr).Framebuffer.State.Renditions;

    [TestCase("\e[1m", (int)TextAttributes.Bold)]
    [TestCase("\e[3m", (int)TextAttributes.Italic)]
    [TestCase("\e[4m", (int)TextAttributes.Underline)]
    [TestCase("\e[5m", (int)TextAttributes.Blink)]
    [TestCase("\e[7m", (int)TextAttributes.Inverse)]
    [TestCase("\e[8m", (int)TextAttributes.Invisible)]
    public void AttributeIsSet(string sgr, int attribute) => Assert.That(After(sgr).Attributes, Is.EqualTo((TextAttributes)attribute));

    [TestCase("\e[1;22m")]
    [TestCase("\e[3;23m")]
    [TestCase("\e[4;24m")]
    [TestCase("\e[5;25m")]
    [TestCase("\e[7;27m")]
    [TestCase("\e[8;28m")]
    public void ResetCodeClearsItsAttribute(string sgr) => Assert.That(After(sgr).Attributes, Is.EqualTo(TextAttributes.None));

    [Test]
    public void FaintIsNotSupportedAsUpstream() => Assert.That(After("\e[2m").Attributes, Is.EqualTo(TextAttributes.None));

    [Test]
    public void TwentyTwoClearsOnlyBold() => Assert.That(After("\e[1;3;22m").Attributes, Is.EqualTo(TextAttributes.Italic));

    [Test]
    public void ZeroAndEmptyResetEverything()
    {
        Assert.That(After("\e[1;31;42m\e[0m"), Is.EqualTo(default(Renditions)));
        Assert.That(After("\e[1;31;42m\e[m"), Is.EqualTo(default(Renditions)));
    }

    [Test]
    public void EightColourForegroundAndBackground()
    {
        var r = After("\e[33;44m");
        Assert.That((r.Foreground, r.Background), Is.EqualTo((TerminalColor.Indexed(3), TerminalColor.Indexed(4))));
    }

    [Test]
    public void BrightColoursAreIndexesEightToFifteen()
    {
        var r = After("\e[91;107m");
        Assert.That((r.Foreground, r.Background), Is.EqualTo((TerminalColor.Indexed(9), TerminalColor.Indexed(15))));
    }

    [Test]
    public void ThirtyNineAndFortyNineRestoreDefaultColours()
    {
        var r = After("\e[31;41;1m\e[39;49m");
        Assert.That((r.Foreground, r.Background, r.Attributes), Is.EqualTo((TerminalColor.Default, TerminalColor.Default, TextAttributes.Bold)));
    }

    [Test]
    public void TwoFiftySixColourWithSemicolons()
    {
        var r = After("\e[38;5;208;48;5;0m");
        Assert.That((r.Foreground, r.Background), Is.EqualTo((TerminalColor.Indexed(208), TerminalColor.Indexed(0))));
    }

    [Test]
    public void TwoFiftySixColourOutOfRangeIsIgnoredButConsumed()
    {
        var r = After("\e[38;5;300;1m");
        Assert.That((r.Foreground, r.Attributes), Is.EqualTo((TerminalColor.Default, TextAttributes.Bold)));
    }

    [Test]
    public void TrueColourWithSemicolons()
    {
        var r = After("\e[38;2;1;2;3;48;2;255;128;0m");
        Assert.That((r.Foreground, r.Background), Is.EqualTo((TerminalColor.Rgb(1, 2, 3), TerminalColor.Rgb(255, 128, 0))));
    }

    [Test]
    public void IncompleteExtendedColourFallsBackToSingleCodesAsUpstream()
    {
        // "38;5" has too few parameters: 38 is ignored and 5 turns on blink.
        var r = After("\e[38;5m");
        Assert.That((r.Foreground, r.Attributes), Is.EqualTo((TerminalColor.Default, TextAttributes.Blink)));
    }

    [Test]
    public void TwoFiftySixColourWithColons() => Assert.That(After("\e[38:5:123m").Foreground, Is.EqualTo(TerminalColor.Indexed(123)));

    [Test]
    public void TrueColourWithColonsAndColourSpace() =>
        Assert.That(After("\e[48:2::10:20:30m").Background, Is.EqualTo(TerminalColor.Rgb(10, 20, 30)));

    [Test]
    public void TrueColourWithColonsWithoutColourSpace() =>
        Assert.That(After("\e[38:2:10:20:30m").Foreground, Is.EqualTo(TerminalColor.Rgb(10, 20, 30)));

    [Test]
    public void ColonFormsMixWithSemicolonParameters()
    {
        var r = After("\e[1;38:5:9;4m");
        Assert.That((r.Foreground, r.Attributes), Is.EqualTo((TerminalColor.Indexed(9), TextAttributes.Bold | TextAttributes.Underline)));
    }

    [TestCase("\e[4:0m", (int)UnderlineStyle.None)]
    [TestCase("\e[4:1m", (int)UnderlineStyle.Single)]
    [TestCase("\e[4:2m", (int)UnderlineStyle.Double)]
    [TestCase("\e[4:3m", (int)UnderlineStyle.Curly)]
    public void UnderlineStyleWithColon(string sgr, int styleValue)
    {
        var style = (UnderlineStyle)styleValue;
        var r = After("\e[4m" + sgr);
        Assert.That(r.UnderlineStyle, Is.EqualTo(style));
        Assert.That(r.Has(TextAttributes.Underline), Is.EqualTo(style != UnderlineStyle.None));
    }

    [Test]
    public void ColonParametersOutsideSgrIgnoreTheSequence()
    {
        var e = EmulatorTesting.New().Run("\e[5;5H\e[1:2H");
        Assert.That(e.Cursor(), Is.EqualTo((4, 4)));
    }

    [Test]
    public void SgrDoesNotTouchTheHyperlink()
    {
        var e = EmulatorTesting.New().Run("\e]8;;http://x\a\e[0m");
        Assert.That(e.Framebuffer.State.Renditions.HyperlinkId, Is.Not.Zero);
    }

    [Test]
    public void PlainParametersApplyAsTheGeneralLoopAppliesThem()
    {
        // Sequences without colons take a shortcut over the raw values; one with a colon goes through CsiParams. A
        // leading "0:" (an unknown colon form, ignored) sends the same parameters, one place later, the long way.
        string[] pieces = ["", "0", "1", "2", "3", "4", "5", "7", "22", "24", "31", "38", "39", "48", "49", "97", "107", "255", "256", "65535", "70000", "00005"];
        var random = new Random(16);
        for (int n = 0; n < 3000; n++)
        {
            string parameters = string.Join(";", Enumerable.Range(0, random.Next(1, 9)).Select(_ => pieces[random.Next(pieces.Length)]));
            string setup = $"\e[{random.Next(2)};3{random.Next(8)};4{random.Next(8)}m";
            Renditions shortcut = After(setup + $"\e[{parameters}m");
            Renditions general = After(setup + $"\e[0:;{parameters}m");
            Assert.That(shortcut, Is.EqualTo(general), parameters);
        }
    }
}
