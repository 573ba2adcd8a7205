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

    [Test]
    public void FormatSgrWritesUpstreamsFormForEveryAttributeSetAndColour()
    {
        // Against the format spelled out the slow way: every attribute combination, every palette colour on either
        // layer, default and random true colours; into a roomy span (the direct path) and an exact-size one.
        var random = new Random(16);
        TextAttributes[] flags = [TextAttributes.Bold, TextAttributes.Italic, TextAttributes.Underline, TextAttributes.Blink, TextAttributes.Inverse, TextAttributes.Invisible];
        string[] codes = ["1", "3", "4", "5", "7", "8"];
        for (int n = 0; n < 20_000; n++)
        {
            int combination = n % 64;
            var r = default(Renditions);
            var expected = new StringBuilder("\e[0");
            for (int bit = 0; bit < flags.Length; bit++)
            {
                if ((combination & (1 << bit)) != 0)
                {
                    r.Set(flags[bit], true);
                    expected.Append(';').Append(codes[bit]);
                }
            }

            r.Foreground = RandomColour(random, n % 256);
            r.Background = RandomColour(random, (n / 7) % 256);
            AppendColour(expected, r.Foreground, 3);
            AppendColour(expected, r.Background, 4);
            expected.Append('m');
            string want = combination == 0 && r.Foreground.IsDefault && r.Background.IsDefault ? "\e[0m" : expected.ToString();
            Assert.That(Sgr(r), Is.EqualTo(want));
            byte[] exact = new byte[want.Length];
            Assert.That(r.FormatSgr(exact), Is.EqualTo(want.Length));
            Assert.That(Encoding.ASCII.GetString(exact), Is.EqualTo(want));
        }
    }

    private static TerminalColor RandomColour(Random random, int index) => random.Next(4) switch
    {
        0 => TerminalColor.Default,
        1 => TerminalColor.Rgb((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256)),
        _ => TerminalColor.Indexed(index),
    };

    private static void AppendColour(StringBuilder text, TerminalColor colour, int layer)
    {
        switch (colour.Kind)
        {
            case ColorKind.Indexed when colour.Index < 8:
                text.Append(';').Append(layer).Append(colour.Index);
                break;
            case ColorKind.Indexed:
                text.Append(';').Append(layer).Append("8;5;").Append(colour.Index);
                break;
            case ColorKind.Rgb:
                text.Append(';').Append(layer).Append("8;2;").Append(colour.Red).Append(';').Append(colour.Green).Append(';').Append(colour.Blue);
                break;
        }
    }
}
