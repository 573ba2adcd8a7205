using System.Buffers.Binary;
using Mosh.Crypto;

namespace Mosh.Tests.Crypto;

[TestFixture(AesImplementations.AesNi)]
[TestFixture(AesImplementations.ArmAes)]
[TestFixture(AesImplementations.Shuffle)]
[TestFixture(AesImplementations.Portable)]
public class CryptoSessionTests
{
    private readonly string _implementationName;
    private AesImplementation _implementation;

    public CryptoSessionTests(string implementation) => _implementationName = implementation;

    [SetUp]
    public void RequireImplementation() => _implementation = AesImplementations.Require(_implementationName);

    private CryptoSession Create(SessionKey key) => new(key, _implementation);

    private static byte[] Seal(CryptoSession session, ulong nonce, byte[] plaintext)
    {
        byte[] datagram = new byte[plaintext.Length + CryptoSession.Overhead];
        Assert.That(session.Seal(nonce, plaintext, datagram), Is.EqualTo(datagram.Length));
        return datagram;
    }

    [Test]
    public void TheOverheadIsAnEightByteNonceAndASixteenByteTag()
    {
        Assert.That(
            (CryptoSession.NonceTailLength, CryptoSession.TagLength, CryptoSession.Overhead),
            Is.EqualTo((8, 16, 24)));
    }

    [Test]
    public void SealedDatagramsOpenToTheSamePlaintextAndNonceOnTheOtherSide()
    {
        var random = new Random(1);
        SessionKey key = SessionKey.Generate();
        using CryptoSession sender = Create(key);
        // The receiver is built from the printed key, as mosh-client gets it from MOSH_KEY.
        using CryptoSession receiver = new(SessionKey.Parse(key.ToString()), _implementation);
        for (int length = 0; length <= 300; length++)
        {
            byte[] plaintext = OcbAes128Tests.RandomBytes(random, length);
            ulong nonce = NonceLayout.Compose(towardClient: length % 2 == 0, (ulong)length * 977);
            byte[] datagram = Seal(sender, nonce, plaintext);
            byte[] opened = new byte[2048];

            bool ok = receiver.TryOpen(datagram, opened, out ulong openedNonce, out int openedLength);

            Assert.That(ok, Is.True, $"length {length}");
            Assert.That(openedNonce, Is.EqualTo(nonce));
            Assert.That(opened.AsSpan(0, openedLength).ToArray(), Is.EqualTo(plaintext));
        }
    }

    [Test]
    public void TheDatagramIsTheBigEndianNonceThenOcbOfThePlaintextUnderTheZeroPrefixedNonce()
    {
        var random = new Random(2);
        SessionKey key = SessionKey.Generate();
        using CryptoSession session = Create(key);
        for (int i = 0; i < 1000; i++)
        {
            byte[] plaintext = OcbAes128Tests.RandomBytes(random, random.Next(1400));
            ulong nonce = ((ulong)random.NextInt64() << 1) ^ (ulong)random.Next(2);
            byte[] datagram = Seal(session, nonce, plaintext);

            byte[] ocbNonce = new byte[12];
            NonceLayout.WriteOcbNonce(nonce, ocbNonce);
            byte[] expectedBody = OcbBouncyCastleCrossCheckTests.BouncyCastleEncrypt(key.Bytes.ToArray(), ocbNonce, [], plaintext);

            Assert.That(BinaryPrimitives.ReadUInt64BigEndian(datagram), Is.EqualTo(nonce));
            Assert.That(datagram.AsSpan(8).ToArray(), Is.EqualTo(expectedBody), $"datagram #{i}");
        }
    }

    [Test]
    public void DatagramsSealedByBouncyCastleInUpstreamsLayoutOpen()
    {
        var random = new Random(3);
        SessionKey key = SessionKey.Generate();
        using CryptoSession session = Create(key);
        for (int i = 0; i < 1000; i++)
        {
            byte[] plaintext = OcbAes128Tests.RandomBytes(random, random.Next(1400));
            ulong nonce = (ulong)random.NextInt64();
            byte[] ocbNonce = new byte[12];
            NonceLayout.WriteOcbNonce(nonce, ocbNonce);
            byte[] body = OcbBouncyCastleCrossCheckTests.BouncyCastleEncrypt(key.Bytes.ToArray(), ocbNonce, [], plaintext);
            byte[] datagram = new byte[8 + body.Length];
            NonceLayout.Write(nonce, datagram);
            body.CopyTo(datagram, 8);
            byte[] opened = new byte[datagram.Length];

            Assert.That(session.TryOpen(datagram, opened, out ulong openedNonce, out int length), Is.True, $"datagram #{i}");
            Assert.That((openedNonce, length), Is.EqualTo((nonce, plaintext.Length)));
            Assert.That(opened.AsSpan(0, length).ToArray(), Is.EqualTo(plaintext));
        }
    }

    [Test]
    public void DatagramsShorterThanNonceAndTagAreRejectedWithoutAnException()
    {
        using CryptoSession session = Create(SessionKey.Generate());
        byte[] destination = new byte[64];
        for (int length = 0; length < CryptoSession.Overhead; length++)
        {
            bool ok = session.TryOpen(new byte[length], destination, out ulong nonce, out int plaintextLength);
            Assert.That((ok, nonce, plaintextLength), Is.EqualTo((false, 0UL, 0)), $"length {length}");
        }
    }

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(16)]
    [TestCase(37)]
    [TestCase(200)]
    public void FlippingAnySingleBitOfNonceCiphertextOrTagMakesOpeningFail(int plaintextLength)
    {
        var random = new Random(plaintextLength);
        using CryptoSession session = Create(SessionKey.Generate());
        byte[] datagram = Seal(session, NonceLayout.Compose(true, 12345), OcbAes128Tests.RandomBytes(random, plaintextLength));
        byte[] destination = new byte[datagram.Length];

        var accepted = new List<int>();
        for (int bit = 0; bit < datagram.Length * 8; bit++)
        {
            datagram[bit / 8] ^= (byte)(1 << (bit % 8));
            Array.Fill(destination, (byte)0xEE);
            if (session.TryOpen(datagram, destination, out ulong nonce, out int length) || nonce != 0 || length != 0
                || destination.AsSpan(0, plaintextLength).ContainsAnyExcept((byte)0))
            {
                accepted.Add(bit);
            }

            datagram[bit / 8] ^= (byte)(1 << (bit % 8));
        }

        Assert.That(accepted, Is.Empty, "bits whose flip was accepted or leaked output");
        Assert.That(session.TryOpen(datagram, destination, out _, out _), Is.True, "the untouched datagram still opens");
    }

    [Test]
    public void RandomGarbageAndOtherKeysDatagramsAreRejected()
    {
        var random = new Random(4);
        using CryptoSession session = Create(SessionKey.Generate());
        using CryptoSession other = Create(SessionKey.Generate());
        byte[] destination = new byte[2048];
        for (int i = 0; i < 2000; i++)
        {
            byte[] garbage = OcbAes128Tests.RandomBytes(random, random.Next(2048));
            Assert.That(session.TryOpen(garbage, destination, out _, out _), Is.False);
            byte[] foreign = Seal(other, (ulong)i, OcbAes128Tests.RandomBytes(random, random.Next(100)));
            Assert.That(session.TryOpen(foreign, destination, out _, out _), Is.False);
        }
    }

    [Test]
    public void SealingAndOpeningInPlaceMatchSeparateBuffers()
    {
        var random = new Random(5);
        SessionKey key = SessionKey.Generate();
        using CryptoSession session = Create(key);
        foreach (int length in new[] { 0, 5, 16, 100, 1200 })
        {
            byte[] plaintext = OcbAes128Tests.RandomBytes(random, length);
            byte[] expected = Seal(session, 77, plaintext);

            // The network layer's zero-copy shape: plaintext written at offset 8 of the datagram buffer.
            byte[] buffer = new byte[length + 24];
            plaintext.CopyTo(buffer, 8);
            session.Seal(77, buffer.AsSpan(8, length), buffer);
            Assert.That(buffer, Is.EqualTo(expected), $"sealed in place, length {length}");

            // Plaintext at offset 0 of the destination: overlapping the nonce and shifted by it.
            byte[] shifted = new byte[length + 24];
            plaintext.CopyTo(shifted, 0);
            session.Seal(77, shifted.AsSpan(0, length), shifted);
            Assert.That(shifted, Is.EqualTo(expected), $"sealed from offset 0, length {length}");

            // Opening into the datagram's own buffer.
            Assert.That(session.TryOpen(buffer, buffer, out ulong nonce, out int openedLength), Is.True);
            Assert.That(buffer.AsSpan(0, openedLength).ToArray(), Is.EqualTo(plaintext));
            Assert.That(nonce, Is.EqualTo(77UL));

            // Opening into the same buffer past the nonce (output shifted forward over the ciphertext).
            Assert.That(session.TryOpen(expected, expected.AsSpan(8), out _, out openedLength), Is.True);
            Assert.That(expected.AsSpan(8, openedLength).ToArray(), Is.EqualTo(plaintext));
        }
    }

    [Test]
    public void AMessageWhosePartialBlockReachesTheLimitIsRefused()
    {
        using CryptoSession session = Create(SessionKey.Generate());
        byte[] destination = new byte[200];
        session.PresetBlocksEncrypted((1UL << 47) - 5);

        session.Seal(1, new byte[48], destination); // 3 blocks: 2^47 - 2
        Assert.That(() => session.Seal(2, new byte[17], destination), // 1 full + 1 partial block: 2^47
            Throws.TypeOf<CryptoException>().With.Property(nameof(CryptoException.Fatal)).True.And.Message.Contains("2^47"));
    }

    [Test]
    public void TheBlockThatReachesTheLimitIsRefusedAndEveryLaterOneToo()
    {
        using CryptoSession session = Create(SessionKey.Generate());
        byte[] destination = new byte[200];
        session.PresetBlocksEncrypted((1UL << 47) - 4);

        session.Seal(1, new byte[48], destination); // 3 blocks: one left below the limit
        session.Seal(2, [], destination); // an empty message encrypts no block
        Assert.That(session.BlocksEncrypted, Is.EqualTo((1UL << 47) - 1));

        Array.Fill(destination, (byte)0x5A);
        Assert.That(() => session.Seal(3, new byte[1], destination),
            Throws.TypeOf<CryptoException>().With.Property(nameof(CryptoException.Fatal)).True);
        Assert.That(destination, Is.All.EqualTo((byte)0x5A), "nothing is written once the limit is reached");
        Assert.That(() => session.Seal(4, [], destination), Throws.TypeOf<CryptoException>());
    }

    [Test]
    public void ASessionBelowTheLimitCountsBlocksAsUpstreamDoes()
    {
        using CryptoSession session = Create(SessionKey.Generate());
        byte[] destination = new byte[200];
        session.Seal(1, new byte[16], destination);
        session.Seal(2, new byte[17], destination);
        session.Seal(3, new byte[1], destination);
        session.Seal(4, [], destination);
        Assert.That(session.BlocksEncrypted, Is.EqualTo(4UL));
    }

    [Test]
    public void ADestinationTooSmallIsAProgrammingErrorNotADroppedDatagram()
    {
        using CryptoSession session = Create(SessionKey.Generate());
        byte[] datagram = Seal(session, 1, new byte[10]);
        Assert.Multiple(() =>
        {
            Assert.That(() => session.Seal(1, new byte[10], new byte[33]), Throws.ArgumentException);
            Assert.That(() => session.TryOpen(datagram, new byte[9], out _, out _), Throws.ArgumentException);
        });
    }

    [Test]
    public void SealAndOpenAllocateNothing()
    {
        var random = new Random(6);
        using CryptoSession session = Create(SessionKey.Generate());
        byte[] plaintext = OcbAes128Tests.RandomBytes(random, 1200);
        byte[] datagram = new byte[2048];
        byte[] opened = new byte[2048];
        var sequence = new NonceSequence(towardClient: false);

        void Round(int length)
        {
            int sealedLength = session.Seal(sequence.Next(), plaintext.AsSpan(0, length), datagram);
            if (!session.TryOpen(datagram.AsSpan(0, sealedLength), opened, out _, out _))
            {
                throw new InvalidOperationException("round trip failed");
            }

            datagram[9] ^= 1;
            if (session.TryOpen(datagram.AsSpan(0, sealedLength), opened, out _, out _))
            {
                throw new InvalidOperationException("tampered datagram opened");
            }
        }

        for (int i = 0; i < 200; i++)
        {
            Round(i * 6);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 2000; i++)
        {
            Round(i % 1201);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.That(allocated, Is.Zero);
    }

    [Test]
    public void ADisposedSessionRefusesToSeal()
    {
        CryptoSession session = Create(SessionKey.Generate());
        session.Dispose();
        Assert.That(() => session.Seal(1, [], new byte[24]), Throws.InstanceOf<ObjectDisposedException>());
    }
}
