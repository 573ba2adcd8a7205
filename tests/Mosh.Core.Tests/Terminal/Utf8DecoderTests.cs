using Mosh.Terminal;

namespace Mosh.Tests.Terminal;

[TestFixture]
public class Utf8DecoderTests
{
    private static int[] Decode(params byte[] bytes)
    {
        var decoder = new Utf8Decoder();
        var result = new List<int>();
        foreach (byte b in bytes)
        {
            int n = decoder.Push(b, out int first, out int second);
            if (n >= 1)
            {
                result.Add(first);
            }

            if (n == 2)
            {
                result.Add(second);
            }
        }

        return [.. result];
    }

    private const int Fffd = 0xFFFD;

    [Test]
    public void DecodesOneToFourByteSequences() =>
        Assert.That(Decode(0x41, 0xC3, 0xA9, 0xE2, 0x82, 0xAC, 0xF0, 0x9F, 0x98, 0x80), Is.EqualTo(new[] { 0x41, 0xE9, 0x20AC, 0x1F600 }));

    [Test]
    public void SequenceSplitAcrossPushesIsAssembled()
    {
        var decoder = new Utf8Decoder();
        Assert.That(decoder.Push(0xE2, out _, out _), Is.Zero);
        Assert.That(decoder.IsIdle, Is.False);
        Assert.That(decoder.Push(0x82, out _, out _), Is.Zero);
        Assert.That(decoder.Push(0xAC, out int cp, out _), Is.EqualTo(1));
        Assert.That(cp, Is.EqualTo(0x20AC));
        Assert.That(decoder.IsIdle, Is.True);
    }

    [Test]
    public void C1ControlsArriveAsCodePoints() => Assert.That(Decode(0xC2, 0x9B), Is.EqualTo(new[] { 0x9B }));

    [Test]
    public void RawC1ByteIsInvalid() => Assert.That(Decode(0x9B), Is.EqualTo(new[] { Fffd }));

    [Test]
    public void TruncatedSequenceGivesOneReplacementThenTheNextCharacter() =>
        Assert.That(Decode(0xE2, 0x82, 0x41), Is.EqualTo(new[] { Fffd, 0x41 }));

    [Test]
    public void OverlongIsReplacedPerByte() =>
        Assert.That(Decode(0xC0, 0xAF, 0xE0, 0x80, 0xAF), Is.EqualTo(new[] { Fffd, Fffd, Fffd, Fffd, Fffd }));

    [Test]
    public void SurrogateEncodingIsReplacedPerMaximalSubpart() =>
        Assert.That(Decode(0xED, 0xA0, 0x80), Is.EqualTo(new[] { Fffd, Fffd, Fffd }));

    [Test]
    public void AboveU10FFFFIsReplaced() =>
        Assert.That(Decode(0xF4, 0x90, 0x80, 0x80), Is.EqualTo(new[] { Fffd, Fffd, Fffd, Fffd }));

    [Test]
    public void UnicodeTableThreeEightExampleMatchesMaximalSubparts()
    {
        // Unicode 15 section 3.9, table 3-8: 61 F1 80 80 E1 80 C2 62 80 63 80 BF 64
        var result = Decode(0x61, 0xF1, 0x80, 0x80, 0xE1, 0x80, 0xC2, 0x62, 0x80, 0x63, 0x80, 0xBF, 0x64);
        Assert.That(result, Is.EqualTo(new[] { 0x61, Fffd, Fffd, Fffd, 0x62, Fffd, 0x63, Fffd, Fffd, 0x64 }));
    }

    [Test]
    public void InvalidLeadAfterPartialSequenceGivesTwoReplacements() =>
        Assert.That(Decode(0xE2, 0xFF), Is.EqualTo(new[] { Fffd, Fffd }));
}
