using System.Collections.Concurrent;
using Mosh.Crypto;

namespace Mosh.Tests.Crypto;

[TestFixture]
public class NonceTests
{
    [Test]
    public void TheDirectionBitIsTheTopBitAndMeansTowardTheClient()
    {
        Assert.Multiple(() =>
        {
            Assert.That(NonceLayout.DirectionToClient, Is.EqualTo(0x8000_0000_0000_0000UL));
            Assert.That(NonceLayout.SequenceMask, Is.EqualTo(0x7FFF_FFFF_FFFF_FFFFUL));
            Assert.That(NonceLayout.Compose(towardClient: true, 5), Is.EqualTo(0x8000_0000_0000_0005UL));
            Assert.That(NonceLayout.Compose(towardClient: false, 5), Is.EqualTo(5UL));
            Assert.That(NonceLayout.IsTowardClient(0x8000_0000_0000_0005UL), Is.True);
            Assert.That(NonceLayout.IsTowardClient(5), Is.False);
            Assert.That(NonceLayout.Sequence(0x8000_0000_0000_0005UL), Is.EqualTo(5UL));
            Assert.That(() => NonceLayout.Compose(false, 1UL << 63), Throws.InstanceOf<ArgumentOutOfRangeException>());
        });
    }

    [Test]
    public void TheOcbNonceIsFourZeroBytesThenTheBigEndianWireNonce()
    {
        byte[] ocbNonce = new byte[12];
        NonceLayout.WriteOcbNonce(0x8000_0000_0102_0304UL, ocbNonce);
        byte[] wire = new byte[8];
        NonceLayout.Write(0x8000_0000_0102_0304UL, wire);

        Assert.That(Convert.ToHexString(ocbNonce), Is.EqualTo("000000008000000001020304"));
        Assert.That(Convert.ToHexString(wire), Is.EqualTo("8000000001020304"));
        Assert.That(NonceLayout.Read(wire), Is.EqualTo(0x8000_0000_0102_0304UL));
    }

    [Test]
    public void SequencesCountFromZeroInTheirOwnDirection()
    {
        var toClient = new NonceSequence(towardClient: true);
        var toServer = new NonceSequence(towardClient: false);

        Assert.That(new[] { toClient.Next(), toClient.Next(), toClient.Next() },
            Is.EqualTo(new[] { NonceLayout.DirectionToClient, NonceLayout.DirectionToClient | 1, NonceLayout.DirectionToClient | 2 }));
        Assert.That(new[] { toServer.Next(), toServer.Next() }, Is.EqualTo(new[] { 0UL, 1UL }));
    }

    [Test]
    public void NoncesAreUniqueAcrossManySequentialNoncesInBothDirections()
    {
        // Upstream's nonce-incr test: both directions under one key must never share a nonce.
        const int perDirection = 1 << 20;
        var toClient = new NonceSequence(towardClient: true);
        var toServer = new NonceSequence(towardClient: false);
        var seen = new HashSet<ulong>(2 * perDirection);
        for (int i = 0; i < perDirection; i++)
        {
            ulong a = toClient.Next();
            ulong b = toServer.Next();
            if (!seen.Add(a) || !seen.Add(b) || !NonceLayout.IsTowardClient(a) || NonceLayout.IsTowardClient(b))
            {
                Assert.Fail($"nonce repeated or misdirected at step {i}: {a:X16} {b:X16}");
            }
        }

        Assert.That(seen, Has.Count.EqualTo(2 * perDirection));
    }

    [Test]
    public void ConcurrentCallersNeverReceiveTheSameNonce()
    {
        var sequence = new NonceSequence(towardClient: false);
        var all = new ConcurrentBag<ulong>();
        Parallel.For(0, 4, _ =>
        {
            for (int i = 0; i < 50_000; i++)
            {
                all.Add(sequence.Next());
            }
        });

        Assert.That(all.Distinct().Count(), Is.EqualTo(200_000));
    }

    [Test]
    public void TheSequenceThrowsAFatalErrorOnceAllSixtyThreeBitsAreUsed()
    {
        var sequence = new NonceSequence(towardClient: true, NonceLayout.SequenceMask - 1);

        Assert.That(sequence.Next(), Is.EqualTo(NonceLayout.DirectionToClient | (NonceLayout.SequenceMask - 1)));
        Assert.That(sequence.Next(), Is.EqualTo(ulong.MaxValue));
        Assert.That(() => sequence.Next(), Throws.TypeOf<CryptoException>().With.Property(nameof(CryptoException.Fatal)).True);
        Assert.That(() => sequence.Next(), Throws.TypeOf<CryptoException>(), "stays exhausted instead of wrapping");
    }
}
