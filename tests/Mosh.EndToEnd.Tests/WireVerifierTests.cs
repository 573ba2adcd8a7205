using Mosh.Crypto;
using Mosh.EndToEnd.Harness;
using Mosh.Network;
using Mosh.Protobufs;

namespace Mosh.EndToEnd;

/// <summary>The interop checker must be able to fail: fed datagrams built here, it accepts a faithful one and
/// flags garbage, a wrong key and an instruction our encoder would not reproduce.</summary>
[TestFixture]
internal sealed class WireVerifierTests
{
    private static readonly SessionKey Key = SessionKey.FromBytes([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);

    [Test]
    public void Faithful_datagram_is_checked_without_mismatch()
    {
        using var verifier = new WireVerifier(Key.ToString());

        verifier.Inspect(RelayDirection.ToServer, Datagram(Key, Instruction(extraField: false)));

        Assert.That(verifier.Mismatches, Is.Empty);
        Assert.That(verifier.DatagramsChecked(RelayDirection.ToServer), Is.EqualTo(1));
        Assert.That(verifier.InstructionsChecked(RelayDirection.ToServer), Is.EqualTo(1));
        Assert.That(verifier.DiffsChecked(RelayDirection.ToServer), Is.EqualTo(1));
    }

    [Test]
    public void Garbage_is_a_mismatch()
    {
        using var verifier = new WireVerifier(Key.ToString());

        verifier.Inspect(RelayDirection.ToClient, new byte[40]);

        Assert.That(verifier.MismatchCount, Is.EqualTo(1));
    }

    [Test]
    public void Datagram_under_another_key_is_a_mismatch()
    {
        using var verifier = new WireVerifier(SessionKey.Generate().ToString());

        verifier.Inspect(RelayDirection.ToServer, Datagram(Key, Instruction(extraField: false)));

        Assert.That(verifier.MismatchCount, Is.EqualTo(1));
    }

    [Test]
    public void Instruction_our_encoder_does_not_reproduce_is_a_mismatch()
    {
        using var verifier = new WireVerifier(Key.ToString());

        verifier.Inspect(RelayDirection.ToServer, Datagram(Key, Instruction(extraField: true)));

        Assert.That(verifier.MismatchCount, Is.EqualTo(1));
        Assert.That(verifier.Mismatches.Single(), Does.Contain("differs"));
    }

    /// <summary>A serialized TransportBuffers.Instruction carrying one keystroke, optionally with an unknown
    /// field (which our parser skips, so our encoding comes out shorter).</summary>
    private static byte[] Instruction(bool extraField)
    {
        var diff = new System.Buffers.ArrayBufferWriter<byte>();
        UserInstruction.ForKeystroke("ls\r"u8).WriteTo(diff);
        var instruction = new TransportInstruction
        {
            ProtocolVersion = NetworkConstants.MOSH_PROTOCOL_VERSION,
            OldNum = 0,
            NewNum = 1,
            AckNum = 0,
            ThrowawayNum = 0,
            Diff = diff.WrittenSpan,
            Chaff = "xyz"u8,
        };
        var output = new System.Buffers.ArrayBufferWriter<byte>();
        instruction.WriteTo(output);
        byte[] bytes = output.WrittenSpan.ToArray();
        return extraField ? [.. bytes, (9 << 3) | 0, 1] : bytes;
    }

    private static byte[] Datagram(SessionKey key, byte[] serializedInstruction)
    {
        using var compressor = new Compressor();
        byte[] compressed = new byte[Compressor.MaxCompressedLength(serializedInstruction.Length)];
        Assert.That(compressor.TryCompress(serializedInstruction, compressed, out int compressedLength), Is.True);
        byte[] plaintext = new byte[4 + Fragment.HeaderLength + compressedLength];
        new Fragment(1, 0, isFinal: true, compressed.AsSpan(0, compressedLength)).WriteTo(plaintext.AsSpan(4));
        using var session = new CryptoSession(key);
        byte[] datagram = new byte[plaintext.Length + CryptoSession.Overhead];
        session.Seal(NonceLayout.Compose(towardClient: false, sequence: 0), plaintext, datagram);
        return datagram;
    }
}
