using System.Text;
using Mosh.Terminal;

namespace Mosh.Tests.Terminal;

[TestFixture]
public class AnsiParserTests
{
    private static IReadOnlyList<string> Parse(string s) => RecordingHandler.Parse(s);

    [Test]
    public void PlainTextPrints() => Assert.That(Parse("ab"), Is.EqualTo(new[] { "Print(a)", "Print(b)" }));

    [Test]
    public void NonAsciiPrintsAsCodePoint() => Assert.That(Parse("é"), Is.EqualTo(new[] { "Print(U+00E9)" }));

    [Test]
    public void C0ControlsExecute() => Assert.That(Parse("\r\n\a"), Is.EqualTo(new[] { "Execute(0D)", "Execute(0A)", "Execute(07)" }));

    [Test]
    public void CsiWithParamsAndPrivateMarkerDispatches() =>
        Assert.That(Parse("\e[?1;25h"), Is.EqualTo(new[] { "Csi(?|1;25|h)" }));

    [Test]
    public void EmptyParamsCountAsOneMissingParam() => Assert.That(Parse("\e[m"), Is.EqualTo(new[] { "Csi(|-1|m)" }));

    [Test]
    public void MissingParamsAreMinusOne() => Assert.That(Parse("\e[;5H"), Is.EqualTo(new[] { "Csi(|-1;5|H)" }));

    [Test]
    public void ParamsAboveSixtyFiveThousandFiveHundredThirtyFiveAreMissing() =>
        Assert.That(Parse("\e[65535;65536;99999999999999999999m"), Is.EqualTo(new[] { "Csi(|65535;-1;-1|m)" }));

    [Test]
    public void ColonSubParametersAreKept() =>
        Assert.That(Parse("\e[38:2::1:2:3;4:3m"), Is.EqualTo(new[] { "Csi(|38:2:-1:1:2:3;4:3|m)" }));

    [Test]
    public void ParamStringIsCappedAtOneHundredCharacters()
    {
        string many = string.Join(";", Enumerable.Repeat("1", 200));
        var actions = Parse("\e[" + many + "m");
        Assert.That(actions, Has.Count.EqualTo(1));
        // 100 characters "1;1;...;1;" hold 50 ones and end on ';' (one more, missing, parameter).
        Assert.That(actions[0], Is.EqualTo("Csi(|" + string.Join(";", Enumerable.Repeat("1", 50)) + ";-1|m)"));
    }

    [Test]
    public void IntermediatesAreCollected() => Assert.That(Parse("\e[!p\e#8\e(B"), Is.EqualTo(new[] { "Csi(!|-1|p)", "Esc(#|8)", "Esc((|B)" }));

    [Test]
    public void IntermediatesAreCappedAtEight()
    {
        var actions = Parse("\e" + new string('!', 20) + "0");
        Assert.That(actions, Is.EqualTo(new[] { "Esc(!!!!!!!!|0)" }));
    }

    [Test]
    public void PrivateMarkerAfterParamsIgnoresTheSequence() => Assert.That(Parse("\e[1?hx"), Is.EqualTo(new[] { "Print(x)" }));

    [Test]
    public void ControlInsideCsiExecutesAndSequenceContinues() =>
        Assert.That(Parse("\e[1\n2H"), Is.EqualTo(new[] { "Execute(0A)", "Csi(|12|H)" }));

    [Test]
    public void CancelAbortsCsi() => Assert.That(Parse("\e[1\u0018Hx"), Is.EqualTo(new[] { "Execute(18)", "Print(H)", "Print(x)" }));

    [Test]
    public void EscapeRestartsInsideCsi() => Assert.That(Parse("\e[1\e[2J"), Is.EqualTo(new[] { "Csi(|2|J)" }));

    [Test]
    public void OscEndsWithBel() =>
        Assert.That(Parse("\e]0;a\a"), Is.EqualTo(new[] { "OscStart", "OscPut(0)", "OscPut(;)", "OscPut(a)", "OscEnd" }));

    [Test]
    public void OscEndsWithStringTerminatorEscBackslash() =>
        Assert.That(Parse("\e]2;t\e\\"), Is.EqualTo(new[] { "OscStart", "OscPut(2)", "OscPut(;)", "OscPut(t)", "OscEnd", "Execute(9C)" }));

    [Test]
    public void OscEndsWithC1StringTerminator() =>
        Assert.That(Parse("\u009D1;x\u009C"), Is.EqualTo(new[] { "OscStart", "OscPut(1)", "OscPut(;)", "OscPut(x)", "OscEnd" }));

    [Test]
    public void OscAcceptsNonAsciiCharacters() =>
        Assert.That(Parse("\e]2;é\a"), Does.Contain("OscPut(U+00E9)"));

    [Test]
    public void C1CsiStartsAControlSequence() => Assert.That(Parse("\u009B5A"), Is.EqualTo(new[] { "Csi(|5|A)" }));

    [Test]
    public void C1ControlsExecute() => Assert.That(Parse("\u0085\u008D"), Is.EqualTo(new[] { "Execute(85)", "Execute(8D)" }));

    [Test]
    public void DcsIsHookedPutAndUnhooked() =>
        Assert.That(Parse("\eP1$qm\e\\"), Is.EqualTo(new[] { "Hook($|1|q)", "Put(m)", "Unhook", "Execute(9C)" }));

    [Test]
    public void SosPmApcStringsAreSwallowed() => Assert.That(Parse("\e_hidden\e\\x"), Is.EqualTo(new[] { "Execute(9C)", "Print(x)" }));

    [Test]
    public void HighCodePointEndsAControlSequenceAsUpstream() =>
        Assert.That(Parse("\e[1é"), Is.EqualTo(new[] { "Csi(|1|U+00E9)" }));

    [Test]
    public void DeleteIsPrintedInGroundAndIgnoredInSequences() =>
        Assert.That(Parse("\u007f\e[\u007f1m"), Is.EqualTo(new[] { "Print(U+007F)", "Csi(|1|m)" }));

    [Test]
    public void EscapeFollowedByC1RangeLetterExecutesTheC1Control() =>
        Assert.That(Parse("\eD\eM\e(D"), Is.EqualTo(new[] { "Execute(84)", "Execute(8D)", "Esc((|D)" }));

    [Test]
    public void BytesSplitAtEveryPositionGiveTheSameActions()
    {
        byte[] input = Encoding.UTF8.GetBytes("a\e[1;31mé€\e]0;tït\a😀\e[?25l");
        var whole = RecordingHandler.Parse(input);
        for (int split = 1; split < input.Length; split++)
        {
            var parser = new AnsiParser();
            var handler = new RecordingHandler();
            parser.Feed(input.AsSpan(0, split), ref handler);
            parser.Feed(input.AsSpan(split), ref handler);
            Assert.That(handler.Actions, Is.EqualTo(whole), $"split at {split}");
        }
    }

    [Test]
    public void ControlSequencesGiveTheSameActionsWholeInOneReadAndOneByteAtATime()
    {
        // Whole sequences in a read take a shortcut past the state machine; these must come out as the machine says.
        string longParams = string.Join(";", Enumerable.Repeat("7", 120));
        byte[] input = Encoding.UTF8.GetBytes(
            "\e[38;5;196;48;5;21mx\e[0m \e[m\e[;5H\e[4:3m\e[?25h\e[1;2!p\e[" + longParams + "m\e[1\x7fm\e[2\e[3J\e[9\rK\e[70000;1~é\e[1;31m");
        var whole = RecordingHandler.Parse(input);
        var parser = new AnsiParser();
        var handler = new RecordingHandler();
        foreach (byte b in input)
        {
            parser.Feed([b], ref handler);
        }

        Assert.That(whole, Is.EqualTo(handler.Actions));
        Assert.That(whole, Does.Contain("Csi(|38;5;196;48;5;21|m)").And.Contain("Csi(|-1;5|H)").And.Contain("Csi(|-1;1|~)"));
    }

    [Test]
    public void RandomControlSequencesAndTextGiveTheSameActionsWholeAndOneByteAtATime()
    {
        // The shortcuts for whole sequences (parameters parsed as they are scanned, SGR straight to its handler) and
        // for printable runs (short ones scanned byte by byte, longer ones by vectors) against the state machine.
        string[] pieces = ["0", "1", "5", "38", "48", "2", "255", "65535", "65536", "99999999", ";", ";", ":", "?", ">", " ", "!", "\x7f", "\r", "é"];
        // Characters of two, three and four bytes, C1 controls in their two-byte form, and bytes that are not UTF-8
        // (a lone lead byte, a surrogate, an overlong form, a stray continuation byte) among the text.
        string[] characters = ["é", "\u00a0", "\u65e5", "\u2192", "\U0001F600", "\u0085", "\u009b", "\u009d"];
        byte[][] broken = [[0xC3], [0xED, 0xA0, 0x80], [0xE0, 0x80, 0xAF], [0x80], [0xF4, 0x90, 0x80, 0x80], [0xFF], [0xE6, 0x97]];
        string[] finals = ["m", "m", "m", "H", "J", "K", "~", "p", "@", "`", "h"];
        var random = new Random(1616);
        for (int n = 0; n < 400; n++)
        {
            var text = new StringBuilder();
            for (int part = 0; part < 30; part++)
            {
                switch (random.Next(4))
                {
                    case 0:
                        text.Append(new string('x', random.Next(40))).Append(random.Next(3) == 0 ? "\n" : "");
                        break;
                    case 1:
                        // Parameter strings around the 100 characters the buffer keeps, of digits and of separators.
                        int length = 95 + random.Next(12);
                        text.Append("\e[").Append(random.Next(2) == 0 ? new string('7', length) : string.Concat(Enumerable.Repeat("1;", length / 2)))
                            .Append(finals[random.Next(finals.Length)]);
                        break;
                    default:
                        text.Append("\e[");
                        int count = random.Next(9);
                        for (int p = 0; p < count; p++)
                        {
                            text.Append(pieces[random.Next(random.Next(2) == 0 ? 12 : pieces.Length)]);
                        }

                        text.Append(finals[random.Next(finals.Length)]);
                        break;
                }
            }

            var bytes = new List<byte>();
            foreach (string piece in text.ToString().Split('x'))
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(piece));
                bytes.AddRange(random.Next(3) switch
                {
                    0 => broken[random.Next(broken.Length)],
                    1 => Encoding.UTF8.GetBytes(characters[random.Next(characters.Length)]),
                    _ => "x"u8.ToArray(),
                });
            }

            byte[] input = [.. bytes];
            var whole = RecordingHandler.Parse(input);
            var parser = new AnsiParser();
            var handler = new RecordingHandler();
            foreach (byte b in input)
            {
                parser.Feed([b], ref handler);
            }

            Assert.That(whole, Is.EqualTo(handler.Actions), Convert.ToHexString(input));
        }
    }

    [Test]
    public void EveryTwoAndThreeByteSequenceDecodesWholeAsTheDecoderDoesByteByByte()
    {
        // A character whole in a read is decoded in place (two- and three-byte forms); the incremental decoder is the
        // reference. Lead bytes around and inside those forms, second bytes across the continuation range's edges,
        // and a third byte that continues, does not, or is missing.
        byte[][] thirds = [[0x80], [0xBF], [0x7F], [0xC0], [(byte)'x'], []];
        for (int lead = 0xC0; lead <= 0xF5; lead++)
        {
            for (int second = 0x70; second <= 0xC1; second++)
            {
                foreach (byte[] third in thirds)
                {
                    byte[] input = [(byte)'a', (byte)lead, (byte)second, .. third, (byte)'b'];
                    var parser = new AnsiParser();
                    var handler = new RecordingHandler();
                    foreach (byte b in input)
                    {
                        parser.Feed([b], ref handler);
                    }

                    Assert.That(RecordingHandler.Parse(input), Is.EqualTo(handler.Actions), Convert.ToHexString(input));
                }
            }
        }
    }

    [Test]
    public void InvalidUtf8PrintsReplacementCharacter() =>
        Assert.That(RecordingHandler.Parse([0x61, 0xFF, 0x62]), Is.EqualTo(new[] { "Print(a)", "Print(U+FFFD)", "Print(b)" }));
}
