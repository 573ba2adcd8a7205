using System.Runtime.Intrinsics;

namespace Mosh.Crypto;

/// <summary>
/// The datagram cipher of a mosh session (upstream's <c>Crypto::Session</c>): a datagram is
/// <c>[8-byte big-endian nonce][AES-128-OCB ciphertext][16-byte tag]</c>, the OCB nonce being four zero bytes
/// and the eight on the wire, with no associated data. Seal and open allocate nothing.
/// </summary>
/// <remarks>
/// Choosing nonces (direction and sequence) and rejecting wrong-direction datagrams belong to the network
/// layer; see <see cref="NonceSequence"/> and <see cref="NonceLayout"/>. Seal may run on one thread while
/// TryOpen runs on another, but neither may run concurrently with itself.
/// </remarks>
internal sealed class CryptoSession : IDisposable
{
    public const int NonceTailLength = NonceLayout.WireLength;
    public const int TagLength = OcbAes128.TagLength;
    public const int Overhead = NonceTailLength + TagLength;

    /// <summary>
    /// Upstream kills a session once 2^47 blocks have been encrypted under its key: OCB's security degrades
    /// with the square of the blocks, the RFC's advice is at most 2^48 per key, and both ends share the key.
    /// </summary>
    public const int BlockLimitLog2 = 47;

    private readonly OcbAes128 _ocb;
    private ulong _blocksEncrypted;

    public CryptoSession(SessionKey key)
        : this(key, AesImplementation.Automatic)
    {
    }

    internal CryptoSession(SessionKey key, AesImplementation implementation)
    {
        ArgumentNullException.ThrowIfNull(key);
        _ocb = new OcbAes128(key.Bytes, implementation);
    }

    internal AesImplementation Implementation => _ocb.Implementation;

    /// <summary>16-byte blocks encrypted so far, as upstream counts them (a partial block counts as one).</summary>
    internal ulong BlocksEncrypted => _blocksEncrypted;

    /// <summary>Lets tests start near the block limit instead of encrypting 2^47 blocks.</summary>
    internal void PresetBlocksEncrypted(ulong blocks) => _blocksEncrypted = blocks;

    /// <summary>
    /// Writes <c>[8-byte big-endian nonce][ciphertext][16-byte tag]</c> into <paramref name="destination"/> and
    /// returns its length, <c>plaintext.Length + Overhead</c>. The plaintext may already sit in the destination
    /// (ideally at offset 8, where it is encrypted in place). Throws a fatal <see cref="CryptoException"/> once
    /// the session has encrypted 2^47 blocks.
    /// </summary>
    public int Seal(ulong nonce, ReadOnlySpan<byte> plaintext, Span<byte> destination)
    {
        int length = plaintext.Length + Overhead;
        if (destination.Length < length)
        {
            CryptoThrowHelper.ThrowArgument(
                $"The destination holds {destination.Length} bytes; sealing {plaintext.Length} needs {length}.", nameof(destination));
        }

        _blocksEncrypted += ((ulong)plaintext.Length + 15) / 16;
        if ((_blocksEncrypted >> BlockLimitLog2) != 0)
        {
            CryptoThrowHelper.ThrowCrypto("Encrypted 2^47 blocks.", fatal: true);
        }

        Span<byte> body = destination[NonceTailLength..length];
        _ocb.Encrypt(
            OcbAes128.FormatNonce(nonce), ReadOnlySpan<byte>.Empty, plaintext,
            body[..plaintext.Length], body[plaintext.Length..]);

        // Written last: the plaintext may have occupied these bytes.
        NonceLayout.Write(nonce, destination);
        return length;
    }

    /// <summary>
    /// Authenticates and decrypts a datagram into <paramref name="plaintextDestination"/> (which may be the
    /// datagram's own buffer). Returns false, never throws, for a datagram shorter than
    /// <see cref="Overhead"/> or one that fails authentication; the outputs are then zero. A destination
    /// shorter than <c>datagram.Length - Overhead</c> is a programming error and throws.
    /// </summary>
    public bool TryOpen(ReadOnlySpan<byte> datagram, Span<byte> plaintextDestination, out ulong nonce, out int plaintextLength)
    {
        nonce = 0;
        plaintextLength = 0;
        if (datagram.Length < Overhead)
        {
            return false;
        }

        int length = datagram.Length - Overhead;
        if (plaintextDestination.Length < length)
        {
            CryptoThrowHelper.ThrowArgument(
                $"The destination holds {plaintextDestination.Length} bytes; the datagram carries {length}.", nameof(plaintextDestination));
        }

        ulong wireNonce = NonceLayout.Read(datagram);
        Vector128<byte> nonceBlock = OcbAes128.FormatNonce(wireNonce);
        if (!_ocb.TryDecrypt(
            nonceBlock, ReadOnlySpan<byte>.Empty, datagram[NonceTailLength..^TagLength], datagram[^TagLength..],
            plaintextDestination[..length]))
        {
            return false;
        }

        nonce = wireNonce;
        plaintextLength = length;
        return true;
    }

    public void Dispose() => _ocb.Dispose();
}
