using System.Text;
using Mosh.Terminal;

namespace Mosh.Tests.Terminal;

[TestFixture]
public class RenditionsTests
{
    private static string Sgr(Renditions r)
    {
        Span<byte> buffer = stackalloc byte[Renditions.MaxSgrLength];
        int n = r.FormatSgr(buffer);
        return Encoding.ASCII.GetString(buffer[..n]);
    }

    [Test]
    public void DefaultRenditionsFormatAsPlainReset() => Assert.That(Sgr(default), Is.EqualTo("\e[0m"));

    [Test]
    public void AttributesFormatInUpstreamOrder()
    {
        var r = default(Renditions);
        foreach (var a in new[] { TextAttributes.Invisible, TextAttributes.Bold, TextAttributes.Inverse, TextAttributes.Italic, TextAttributes.Blink, TextAttributes.Underline })
        {
            r.Set(a, true);
        }

        Assert.That(Sgr(r), Is.EqualTo("\e[0;1;3;4;5;7;8m"));
    }

    [Test]
    public void ColoursFormatAsEightColour256AndTrueColour()
    {
        var r = new Renditions { Foreground = TerminalColor.Indexed(1), Background = TerminalColor.Indexed(200) };
        Assert.That(Sgr(r), Is.EqualTo("\e[0;31;48;5;200m"));
        r = new Renditions { Foreground = TerminalColor.Rgb(255, 0, 10), Background = TerminalColor.Indexed(7) };
        Assert.That(Sgr(r), Is.EqualTo("\e[0;38;2;255;0;10;47m"));
    }

    [Test]
    public void LongestSgrFitsTheDeclaredMaximum()
    {
        var r = new Renditions { Foreground = TerminalColor.Rgb(255, 255, 255), Background = TerminalColor.Rgb(255, 255, 255) };
        foreach (TextAttributes a in Enum.GetValues<TextAttributes>())
        {
            r.Set(a, true);
        }

        Assert.That(Sgr(r), Has.Length.LessThanOrEqualTo(Renditions.MaxSgrLength));
    }

    [Test]
    public void UnderlineStyleImpliesUnderlineAndFormatsAsPlainFour()
    {
        var r = default(Renditions);
        r.SetUnderline(UnderlineStyle.Curly);
        Assert.That(r.Has(TextAttributes.Underline), Is.True);
        Assert.That(Sgr(r), Is.EqualTo("\e[0;4m"));
        r.Set(TextAttributes.Underline, false);
        Assert.That(r.UnderlineStyle, Is.EqualTo(UnderlineStyle.None));
    }

    [Test]
    public void ResetGraphicsKeepsTheHyperlink()
    {
        var r = new Renditions { HyperlinkId = 7, Foreground = TerminalColor.Indexed(3) };
        r.Set(TextAttributes.Bold, true);
        r.ResetGraphics();
        Assert.That(r, Is.EqualTo(new Renditions { HyperlinkId = 7 }));
    }
}
