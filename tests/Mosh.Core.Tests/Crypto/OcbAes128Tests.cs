using Mosh.Crypto;

namespace Mosh.Tests.Crypto;

[TestFixture(AesImplementations.AesNi)]
[TestFixture(AesImplementations.ArmAes)]
[TestFixture(AesImplementations.Shuffle)]
[TestFixture(AesImplementations.Portable)]
public class OcbAes128Tests
{
    private readonly string _implementationName;
    private AesImplementation _implementation;

    public OcbAes128Tests(string implementation) => _implementationName = implementation;

    [SetUp]
    public void RequireImplementation() => _implementation = AesImplementations.Require(_implementationName);

    private OcbAes128 Create(byte[] key) => new(key, _implementation);

    [Test]
    public void RunsOnTheRequestedAesImplementation()
    {
        using OcbAes128 ocb = Create(new byte[16]);
        Assert.That(ocb.Implementation, Is.EqualTo(_implementation));
    }

    [Test]
    public void AutomaticSelectionPrefersAesInstructionsThenShuffleThenTables()
    {
        using OcbAes128 ocb = new(new byte[16]);
        AesImplementation expected = Aes128Ni.IsSupported ? AesImplementation.AesNi
            : Aes128Arm.IsSupported ? AesImplementation.ArmAes
            : Aes128Shuffle.IsSupported ? AesImplementation.Shuffle : AesImplementation.Portable;
        Assert.That(ocb.Implementation, Is.EqualTo(expected));
    }

    [TestCaseSource(typeof(Rfc7253Vectors), nameof(Rfc7253Vectors.Samples))]
    [TestCaseSource(typeof(Rfc7253Vectors), nameof(Rfc7253Vectors.UpstreamDraftSamples))]
    public void EncryptionMatchesThePublishedSample(string nonce, string associatedData, string plaintext, string expected)
    {
        using OcbAes128 ocb = Create(Convert.FromHexString(Rfc7253Vectors.Key));
        byte[] p = Convert.FromHexString(plaintext);
        byte[] output = new byte[p.Length + OcbAes128.TagLength];

        ocb.Encrypt(Convert.FromHexString(nonce), Convert.FromHexString(associatedData), p, output.AsSpan(0, p.Length), output.AsSpan(p.Length));

        Assert.That(Convert.ToHexString(output), Is.EqualTo(expected));
    }

    [TestCaseSource(typeof(Rfc7253Vectors), nameof(Rfc7253Vectors.Samples))]
    [TestCaseSource(typeof(Rfc7253Vectors), nameof(Rfc7253Vectors.UpstreamDraftSamples))]
    public void DecryptionOfThePublishedSampleRecoversThePlaintext(string nonce, string associatedData, string plaintext, string expected)
    {
        using OcbAes128 ocb = Create(Convert.FromHexString(Rfc7253Vectors.Key));
        byte[] c = Convert.FromHexString(expected);
        byte[] output = new byte[c.Length - OcbAes128.TagLength];

        bool ok = ocb.TryDecrypt(
            Convert.FromHexString(nonce), Convert.FromHexString(associatedData), c.AsSpan(0, output.Length), c.AsSpan(output.Length), output);

        Assert.That(ok, Is.True);
        Assert.That(Convert.ToHexString(output), Is.EqualTo(plaintext));
    }

    [TestCaseSource(typeof(Rfc7253Vectors), nameof(Rfc7253Vectors.Samples))]
    public void FlippingAnyBitOfCiphertextTagNonceOrAssociatedDataFailsAuthentication(
        string nonce, string associatedData, string plaintext, string expected)
    {
        using OcbAes128 ocb = Create(Convert.FromHexString(Rfc7253Vectors.Key));
        byte[] n = Convert.FromHexString(nonce);
        byte[] a = Convert.FromHexString(associatedData);
        byte[] c = Convert.FromHexString(expected);
        int length = c.Length - OcbAes128.TagLength;
        byte[] output = new byte[length];

        var accepted = new List<string>();
        void Check(string what, int bit)
        {
            Array.Fill(output, (byte)0xEE);
            if (ocb.TryDecrypt(n, a, c.AsSpan(0, length), c.AsSpan(length), output))
            {
                accepted.Add($"{what} bit {bit}");
            }
            else if (output.Any(b => b != 0))
            {
                accepted.Add($"{what} bit {bit} left unauthenticated output");
            }
        }

        foreach ((string name, byte[] buffer) in new[] { ("ciphertext+tag", c), ("nonce", n), ("associated data", a) })
        {
            for (int bit = 0; bit < buffer.Length * 8; bit++)
            {
                buffer[bit / 8] ^= (byte)(1 << (bit % 8));
                Check(name, bit);
                buffer[bit / 8] ^= (byte)(1 << (bit % 8));
            }
        }

        Assert.That(accepted, Is.Empty);
        Assert.That(ocb.TryDecrypt(n, a, c.AsSpan(0, length), c.AsSpan(length), output), Is.True, "the untouched sample still opens");
    }

    /// <summary>RFC 7253 Appendix A: every plaintext and associated-data length 0..127, chained into one final tag.</summary>
    [Test]
    public void IteratedTestOverAllLengthsGivesTheRfcResult()
    {
        byte[] key = new byte[16];
        key[15] = 128; // zeros(KEYLEN-8) || num2str(TAGLEN, 8)
        using OcbAes128 ocb = Create(key);
        var c = new List<byte>();
        byte[] nonce = new byte[12];

        byte[] Encrypt(int n, byte[] a, byte[] p)
        {
            nonce[10] = (byte)(n >> 8);
            nonce[11] = (byte)n;
            byte[] output = new byte[p.Length + 16];
            ocb.Encrypt(nonce, a, p, output.AsSpan(0, p.Length), output.AsSpan(p.Length));
            return output;
        }

        for (int i = 0; i < 128; i++)
        {
            byte[] s = new byte[i];
            c.AddRange(Encrypt((3 * i) + 1, s, s));
            c.AddRange(Encrypt((3 * i) + 2, [], s));
            c.AddRange(Encrypt((3 * i) + 3, s, []));
        }

        byte[] result = Encrypt(385, c.ToArray(), []);

        Assert.That(c, Has.Count.EqualTo(22400)); // 2 * (0 + 1 + ... + 127) bytes of ciphertext plus 3 * 128 tags
        Assert.That(Convert.ToHexString(result), Is.EqualTo(Rfc7253Vectors.IteratedResult));
    }

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(15)]
    [TestCase(16)]
    [TestCase(17)]
    [TestCase(64)]
    [TestCase(127)]
    [TestCase(128)]
    [TestCase(129)]
    [TestCase(200)]
    [TestCase(1000)]
    public void OverlappingInputAndOutputAtAnyShiftGiveTheSameResultAsSeparateBuffers(int length)
    {
        var random = new Random(length);
        byte[] key = RandomBytes(random, 16);
        byte[] nonce = RandomBytes(random, 12);
        byte[] ad = RandomBytes(random, 20);
        byte[] plaintext = RandomBytes(random, length);
        using OcbAes128 ocb = Create(key);

        byte[] expected = new byte[length];
        byte[] tag = new byte[16];
        ocb.Encrypt(nonce, ad, plaintext, expected, tag);

        foreach (int shift in new[] { -40, -17, -16, -8, -1, 0, 1, 8, 16, 17, 40 })
        {
            const int margin = 64;
            byte[] buffer = new byte[length + (2 * margin)];
            plaintext.CopyTo(buffer, margin);
            byte[] outTag = new byte[16];
            ocb.Encrypt(nonce, ad, buffer.AsSpan(margin, length), buffer.AsSpan(margin + shift, length), outTag);
            Assert.That(buffer.AsSpan(margin + shift, length).ToArray(), Is.EqualTo(expected), $"encrypt shift {shift}");
            Assert.That(outTag, Is.EqualTo(tag), $"encrypt tag shift {shift}");

            Array.Clear(buffer);
            expected.CopyTo(buffer, margin);
            bool ok = ocb.TryDecrypt(nonce, ad, buffer.AsSpan(margin, length), tag, buffer.AsSpan(margin + shift, length));
            Assert.That(ok, Is.True, $"decrypt shift {shift}");
            Assert.That(buffer.AsSpan(margin + shift, length).ToArray(), Is.EqualTo(plaintext), $"decrypt shift {shift}");
        }
    }

    [Test]
    public void ATagThatIsPartOfTheOutputBufferIsReadBeforeTheOutputOverwritesIt()
    {
        var random = new Random(7);
        using OcbAes128 ocb = Create(RandomBytes(random, 16));
        byte[] nonce = RandomBytes(random, 12);
        byte[] plaintext = RandomBytes(random, 100);
        byte[] sealedBytes = new byte[116];
        ocb.Encrypt(nonce, [], plaintext, sealedBytes.AsSpan(0, 100), sealedBytes.AsSpan(100));

        // Decrypt into bytes 10..109 of the same buffer, which cover the first ten bytes of the tag.
        byte[] buffer = new byte[120];
        sealedBytes.CopyTo(buffer, 0);
        bool ok = ocb.TryDecrypt(nonce, [], buffer.AsSpan(0, 100), buffer.AsSpan(100, 16), buffer.AsSpan(10, 100));

        Assert.That(ok, Is.True);
        Assert.That(buffer.AsSpan(10, 100).ToArray(), Is.EqualTo(plaintext));
    }

    [Test]
    public void ConsecutiveNoncesAcrossTheStretchCacheBoundaryMatchAFreshInstance()
    {
        // The stretch is cached per nonce with its low six bits cleared; walking nonces across a 64-boundary
        // and back must give what an instance without a cache gives.
        var random = new Random(11);
        byte[] key = RandomBytes(random, 16);
        byte[] plaintext = RandomBytes(random, 33);
        using OcbAes128 reused = Create(key);
        foreach (ulong n in new ulong[] { 0, 1, 63, 64, 65, 127, 128, 0, 64, 1UL << 63, (1UL << 63) | 63, 1 })
        {
            byte[] nonce = new byte[12];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(nonce.AsSpan(4), n);
            byte[] a = new byte[49];
            byte[] b = new byte[49];
            reused.Encrypt(nonce, [], plaintext, a.AsSpan(0, 33), a.AsSpan(33));
            using (OcbAes128 fresh = Create(key))
            {
                fresh.Encrypt(nonce, [], plaintext, b.AsSpan(0, 33), b.AsSpan(33));
            }

            Assert.That(a, Is.EqualTo(b), $"nonce {n}");
            Assert.That(reused.TryDecrypt(nonce, [], a.AsSpan(0, 33), a.AsSpan(33), new byte[33]), Is.True, $"nonce {n}");
        }
    }

    [Test]
    public void WrongLengthsAreRejectedWithArgumentErrors()
    {
        using OcbAes128 ocb = Create(new byte[16]);
        Assert.Multiple(() =>
        {
            Assert.That(() => new OcbAes128(new byte[15], _implementation), Throws.ArgumentException);
            Assert.That(() => ocb.Encrypt(new byte[11], [], new byte[4], new byte[4], new byte[16]), Throws.ArgumentException);
            Assert.That(() => ocb.Encrypt(new byte[12], [], new byte[4], new byte[5], new byte[16]), Throws.ArgumentException);
            Assert.That(() => ocb.Encrypt(new byte[12], [], new byte[4], new byte[4], new byte[12]), Throws.ArgumentException);
            Assert.That(ocb.TryDecrypt(new byte[12], [], new byte[4], new byte[12], new byte[4]), Is.False);
        });
    }

    [Test]
    public void ADisposedInstanceRefusesToWork()
    {
        OcbAes128 ocb = Create(new byte[16]);
        ocb.Dispose();
        Assert.That(() => ocb.Encrypt(new byte[12], [], [], [], new byte[16]), Throws.InstanceOf<ObjectDisposedException>());
    }

    internal static byte[] RandomBytes(Random random, int length)
    {
        byte[] bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
