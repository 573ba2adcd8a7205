using Mosh.Crypto;

namespace Mosh.Tests.Crypto;

[TestFixture]
public class SessionKeyTests
{
    /// <summary>Upstream's src/tests/genbase64.pl patterns, encoded by Perl's MIME::Base64.</summary>
    [TestCase("00000000000000000000000000000000", "AAAAAAAAAAAAAAAAAAAAAA")]
    [TestCase("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF", "/////////////////////w")]
    [TestCase("000000000000000000000000000000FF", "AAAAAAAAAAAAAAAAAAAA/w")]
    [TestCase("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00", "////////////////////AA")]
    [TestCase("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "qqqqqqqqqqqqqqqqqqqqqg")]
    [TestCase("AAAAAAAAAAAAAAAA5555555555555555", "qqqqqqqqqqpVVVVVVVVVVQ")]
    [TestCase("5555555555555555AAAAAAAAAAAAAAAA", "VVVVVVVVVVWqqqqqqqqqqg")]
    [TestCase("0102040810204080FEFDFBF7EFDFBF7F", "AQIECBAgQID+/fv379+/fw")]
    public void PrintsAndParsesUpstreamsBase64Vectors(string hex, string printable)
    {
        SessionKey key = SessionKey.FromBytes(Convert.FromHexString(hex));

        Assert.That(key.ToString(), Is.EqualTo(printable));
        Assert.That(Convert.ToHexString(SessionKey.Parse(printable).Bytes), Is.EqualTo(hex));
    }

    [Test]
    public void EveryValueOfTheLastByteRoundTrips()
    {
        byte[] bytes = new byte[16];
        for (int last = 0; last < 256; last++)
        {
            bytes[15] = (byte)last;
            string printable = SessionKey.FromBytes(bytes).ToString();

            Assert.That(SessionKey.TryParse(printable, out SessionKey? parsed, out string? error), Is.True, error);
            Assert.That(parsed!.Bytes.ToArray(), Is.EqualTo(bytes));
        }
    }

    [Test]
    public void ManyRandomKeysRoundTripThroughTheirPrintableForm()
    {
        for (int i = 0; i < 1 << 17; i++)
        {
            SessionKey key = SessionKey.Generate();
            string printable = key.ToString();
            if (printable.Length != 22 || !SessionKey.TryParse(printable, out SessionKey? parsed, out _)
                || !parsed.Bytes.SequenceEqual(key.Bytes) || parsed.ToString() != printable)
            {
                Assert.Fail($"key {printable} did not round-trip");
            }
        }
    }

    [Test]
    public void GeneratedKeysAreDistinct()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < 10_000; i++)
        {
            Assert.That(seen.Add(SessionKey.Generate().ToString()), Is.True);
        }
    }

    /// <summary>Upstream's bad keys (src/tests/base64.cc) plus more malformed and non-canonical ones.</summary>
    [TestCase("", "22 letters")]
    [TestCase("AAAAAAAAAAAAAAAAAAAAAA=", "22 letters")]
    [TestCase("AAAAAAAAAAAAAAAAAAAAA==", "22 letters")]
    [TestCase("AAAAAAAAAAAAAAAAAAAAAAA==", "22 letters")]
    [TestCase("AAAAAAAAAAAAAAAAAAAAAAAA==", "22 letters")]
    [TestCase("AAAAAAAAAAAAAAAAAAAAAA~=", "22 letters")]
    [TestCase("AAAAAAAAAAAAAAAAAAAAAA=~", "22 letters")]
    [TestCase("~AAAAAAAAAAAAAAAAAAAAA==", "22 letters")]
    [TestCase("AAAAAAAAAAAAAAAAAAAA~A==", "22 letters")]
    [TestCase("AAAAAAAAAAAAAAAAAAAAA~==", "22 letters")]
    [TestCase("AAAAAAAAAA~AAAAAAAAAAA==", "22 letters")]
    [TestCase("AAAAAAAAAA==", "22 letters")]
    [TestCase("AAAAAAAAAAAAAAAAAAAAAAA", "22 letters")]
    [TestCase("~AAAAAAAAAAAAAAAAAAAAA", "'~' at position 1")]
    [TestCase("AAAAAAAAAA~AAAAAAAAAAA", "'~' at position 11")]
    [TestCase("AAAAAAAAAAAAAAAAAAAAA~", "'~' at position 22")]
    [TestCase("AAAAAAAAAAAAAAAAAAAA==", "'=' at position 21")]
    [TestCase("AAAAAAAAAAAAAAAAAAAAA=", "'=' at position 22")]
    [TestCase("AAAAAAAAAA=AAAAAAAAAAA", "'=' at position 11")]
    [TestCase("AAAAAAAAAA AAAAAAAAAAA", "' ' at position 11")]
    [TestCase("AAAAAAAAAAAAAAAAAAAA-_", "'-' at position 21")]
    [TestCase("AAAAAAAAAAAAAAAAAAAAAé", "'é' at position 22")]
    [TestCase("AAAAAAAAAAAAAAAAAAAAAB", "canonical")]
    [TestCase("AAAAAAAAAAAAAAAAAAAAAP", "canonical")]
    [TestCase("/////////////////////x", "canonical")]
    [TestCase("/////////////////////z", "canonical")]
    public void MalformedKeysAreRejectedWithAnExplanation(string text, string explanation)
    {
        bool ok = SessionKey.TryParse(text, out SessionKey? key, out string? error);

        Assert.That(ok, Is.False);
        Assert.That(key, Is.Null);
        Assert.That(error, Does.Contain(explanation));
        Assert.That(() => SessionKey.Parse(text), Throws.TypeOf<CryptoException>().With.Message.EqualTo(error)
            .And.Property(nameof(CryptoException.Fatal)).False);
    }

    [Test]
    public void AMissingKeyIsRejected()
    {
        Assert.That(SessionKey.TryParse(null, out _, out string? error), Is.False);
        Assert.That(error, Is.Not.Empty);
    }

    [Test]
    public void EveryCanonicalLastLetterIsAcceptedAndEveryOtherRejected()
    {
        // The last letter carries two key bits: only A, Q, g and w leave the four spare bits clear.
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        foreach (char last in alphabet)
        {
            bool ok = SessionKey.TryParse("AAAAAAAAAAAAAAAAAAAAA" + last, out _, out _);
            Assert.That(ok, Is.EqualTo("AQgw".Contains(last, StringComparison.Ordinal)), $"last letter {last}");
        }
    }

    [Test]
    public void FromBytesRequiresSixteenBytes()
    {
        Assert.That(() => SessionKey.FromBytes(new byte[15]), Throws.ArgumentException);
    }
}
