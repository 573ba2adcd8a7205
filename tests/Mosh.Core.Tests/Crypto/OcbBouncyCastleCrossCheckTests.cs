using Mosh.Crypto;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Parameters;

namespace Mosh.Tests.Crypto;

/// <summary>BouncyCastle's independent OCB (RFC 7253) as an oracle for random messages.</summary>
[TestFixture(AesImplementations.AesNi)]
[TestFixture(AesImplementations.ArmAes)]
[TestFixture(AesImplementations.Shuffle)]
[TestFixture(AesImplementations.Portable)]
public class OcbBouncyCastleCrossCheckTests
{
    private const int Messages = 10_000;
    private const int MaxLength = 2000;

    private readonly string _implementationName;
    private AesImplementation _implementation;

    public OcbBouncyCastleCrossCheckTests(string implementation) => _implementationName = implementation;

    [SetUp]
    public void RequireImplementation() => _implementation = AesImplementations.Require(_implementationName);

    internal static byte[] BouncyCastleEncrypt(byte[] key, byte[] nonce, byte[] associatedData, byte[] plaintext)
    {
        var ocb = new OcbBlockCipher(new AesEngine(), new AesEngine());
        ocb.Init(true, new AeadParameters(new KeyParameter(key), 128, nonce, associatedData));
        byte[] output = new byte[ocb.GetOutputSize(plaintext.Length)];
        int written = ocb.ProcessBytes(plaintext, 0, plaintext.Length, output, 0);
        written += ocb.DoFinal(output, written);
        Assert.That(written, Is.EqualTo(output.Length));
        return output;
    }

    /// <summary>Returns null when BouncyCastle rejects the tag.</summary>
    internal static byte[]? BouncyCastleDecrypt(byte[] key, byte[] nonce, byte[] associatedData, byte[] ciphertextAndTag)
    {
        var ocb = new OcbBlockCipher(new AesEngine(), new AesEngine());
        ocb.Init(false, new AeadParameters(new KeyParameter(key), 128, nonce, associatedData));
        byte[] output = new byte[ocb.GetOutputSize(ciphertextAndTag.Length)];
        try
        {
            int written = ocb.ProcessBytes(ciphertextAndTag, 0, ciphertextAndTag.Length, output, 0);
            written += ocb.DoFinal(output, written);
            return output.AsSpan(0, written).ToArray();
        }
        catch (InvalidCipherTextException)
        {
            return null;
        }
    }

    [Test]
    public void OurCiphertextsOpenInBouncyCastle()
    {
        var random = new Random(20140501);
        for (int i = 0; i < Messages; i++)
        {
            (byte[] key, byte[] nonce, byte[] ad, byte[] plaintext) = RandomCase(random, i);
            using var ocb = new OcbAes128(key, _implementation);
            byte[] sealedBytes = new byte[plaintext.Length + 16];
            ocb.Encrypt(nonce, ad, plaintext, sealedBytes.AsSpan(0, plaintext.Length), sealedBytes.AsSpan(plaintext.Length));

            byte[]? opened = BouncyCastleDecrypt(key, nonce, ad, sealedBytes);

            if (opened is null || !opened.AsSpan().SequenceEqual(plaintext))
            {
                Assert.Fail($"message #{i} ({plaintext.Length} bytes, {ad.Length} bytes of AD) did not round-trip through BouncyCastle");
            }
        }
    }

    [Test]
    public void BouncyCastleCiphertextsOpenWithUs()
    {
        var random = new Random(7253);
        for (int i = 0; i < Messages; i++)
        {
            (byte[] key, byte[] nonce, byte[] ad, byte[] plaintext) = RandomCase(random, i);
            byte[] sealedBytes = BouncyCastleEncrypt(key, nonce, ad, plaintext);
            using var ocb = new OcbAes128(key, _implementation);
            byte[] opened = new byte[plaintext.Length];

            bool ok = ocb.TryDecrypt(nonce, ad, sealedBytes.AsSpan(0, plaintext.Length), sealedBytes.AsSpan(plaintext.Length), opened);

            if (!ok || !opened.AsSpan().SequenceEqual(plaintext))
            {
                Assert.Fail($"message #{i} ({plaintext.Length} bytes, {ad.Length} bytes of AD) from BouncyCastle did not open");
            }
        }
    }

    [Test]
    public void ManyMessagesUnderOneKeyAgreeWithBouncyCastle()
    {
        // One long-lived instance, as a session uses it: sequential and random nonces exercise the stretch cache.
        var random = new Random(42);
        byte[] key = OcbAes128Tests.RandomBytes(random, 16);
        using var ocb = new OcbAes128(key, _implementation);
        for (int i = 0; i < 2000; i++)
        {
            byte[] nonce = new byte[12];
            if (i % 3 == 0)
            {
                random.NextBytes(nonce);
            }
            else
            {
                System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(nonce.AsSpan(4), (ulong)i);
            }

            byte[] plaintext = OcbAes128Tests.RandomBytes(random, random.Next(MaxLength + 1));
            byte[] ours = new byte[plaintext.Length + 16];
            ocb.Encrypt(nonce, [], plaintext, ours.AsSpan(0, plaintext.Length), ours.AsSpan(plaintext.Length));

            Assert.That(ours, Is.EqualTo(BouncyCastleEncrypt(key, nonce, [], plaintext)), $"message #{i}");
        }
    }

    private static (byte[] Key, byte[] Nonce, byte[] AssociatedData, byte[] Plaintext) RandomCase(Random random, int index)
    {
        byte[] key = OcbAes128Tests.RandomBytes(random, 16);
        byte[] nonce = OcbAes128Tests.RandomBytes(random, 12);
        // Mosh sends no associated data; every fourth case carries some to exercise HASH too.
        byte[] ad = index % 4 == 0 ? OcbAes128Tests.RandomBytes(random, random.Next(1, 100)) : [];
        byte[] plaintext = OcbAes128Tests.RandomBytes(random, random.Next(MaxLength + 1));
        return (key, nonce, ad, plaintext);
    }
}
