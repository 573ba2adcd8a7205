namespace Mosh.Crypto;

/// <summary>
/// The nonces one side sends with: its direction bit with sequence numbers 0, 1, 2, ... Upstream shares one
/// counter per process; nonces never repeat under a key because each side only ever sends in its own
/// direction. Thread-safe.
/// </summary>
internal sealed class NonceSequence
{
    private readonly ulong _direction;
    private ulong _next;

    public NonceSequence(bool towardClient)
        : this(towardClient, 0)
    {
    }

    /// <summary>Starts at <paramref name="firstSequence"/>; lets tests reach the end of the space.</summary>
    internal NonceSequence(bool towardClient, ulong firstSequence)
    {
        if (firstSequence > NonceLayout.SequenceMask)
        {
            throw new ArgumentOutOfRangeException(nameof(firstSequence));
        }

        _direction = towardClient ? NonceLayout.DirectionToClient : 0;
        _next = firstSequence;
    }

    public bool TowardClient => _direction != 0;

    /// <summary>The next nonce (direction | sequence). Throws a fatal <see cref="CryptoException"/> once all 2^63 are used.</summary>
    public ulong Next()
    {
        ulong sequence = Interlocked.Increment(ref _next) - 1;
        if (sequence > NonceLayout.SequenceMask)
        {
            Interlocked.Exchange(ref _next, NonceLayout.SequenceMask + 1); // stay exhausted rather than wrap
            CryptoThrowHelper.ThrowCrypto("Nonce sequence exhausted.", fatal: true);
        }

        return _direction | sequence;
    }
}
