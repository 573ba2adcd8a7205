using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Security.Cryptography;

namespace Mosh.Crypto;

/// <summary>
/// AEAD_AES_128_OCB_TAGLEN128 of RFC 7253 (OCB3 with AES-128, 96-bit nonces, 128-bit tags), the cipher of
/// upstream mosh's datagrams. No library this project may ship offers it (.NET has GCM and CCM only; NSec and
/// libsodium have no OCB), so it is written here over three AES engines (AES-NI, a constant-time shuffle AES,
/// round tables), chosen per processor, and proven against the RFC's vectors and BouncyCastle.
/// Encryption and decryption allocate nothing.
/// </summary>
/// <remarks>
/// One instance may encrypt on one thread while it decrypts on another; two concurrent encryptions (or two
/// decryptions) on the same instance are not supported, because each direction caches its last nonce's
/// stretch. The output may be the input (in place) or overlap it at any offset.
/// </remarks>
internal sealed partial class OcbAes128 : IDisposable
{
    public const int KeyLength = 16;
    public const int NonceLength = 12;
    public const int TagLength = 16;

    // L_i for i up to this bound covers messages of 2^MaxLIndex blocks, far beyond any span's length.
    private const int MaxLIndex = 32;

    private readonly AesImplementation _implementation;
    private readonly Aes128Ni _aesNi;
    private readonly Aes128Arm _armAes;
    private readonly Aes128Shuffle _shuffle;
    private readonly Aes128Portable _portable;

    // [0] = L_*, [1] = L_$, [2 + i] = L_i (RFC 7253 section 4.1).
    private readonly Vector128<byte>[] _l = new Vector128<byte>[2 + MaxLIndex + 1];

    private StretchCache _encryptStretch;
    private StretchCache _decryptStretch;
    private bool _disposed;

    public OcbAes128(ReadOnlySpan<byte> key)
        : this(key, AesImplementation.Automatic)
    {
    }

    internal OcbAes128(ReadOnlySpan<byte> key, AesImplementation implementation)
    {
        if (key.Length != KeyLength)
        {
            throw new ArgumentException($"An AES-128-OCB key is {KeyLength} bytes, not {key.Length}.", nameof(key));
        }

        _implementation = implementation == AesImplementation.Automatic ? BestAvailable : implementation;
        Vector128<byte> lStar;
        switch (_implementation)
        {
            case AesImplementation.AesNi:
                _aesNi = new Aes128Ni(key);
                lStar = _aesNi.Encrypt(Vector128<byte>.Zero);
                break;
            case AesImplementation.ArmAes:
                _armAes = new Aes128Arm(key);
                lStar = _armAes.Encrypt(Vector128<byte>.Zero);
                break;
            case AesImplementation.Shuffle:
                _shuffle = new Aes128Shuffle(key);
                lStar = _shuffle.Encrypt(Vector128<byte>.Zero);
                break;
            case AesImplementation.Portable:
                _portable = new Aes128Portable(key);
                lStar = _portable.Encrypt(Vector128<byte>.Zero);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(implementation));
        }

        _l[0] = lStar;
        for (int i = 1; i < _l.Length; i++)
        {
            _l[i] = Block128.Double(_l[i - 1]);
        }
    }

    /// <summary>The implementation <see cref="AesImplementation.Automatic"/> chooses on this processor.</summary>
    public static AesImplementation BestAvailable =>
        Aes128Ni.IsSupported ? AesImplementation.AesNi
        : Aes128Arm.IsSupported ? AesImplementation.ArmAes
        : Aes128Shuffle.IsSupported ? AesImplementation.Shuffle
        : AesImplementation.Portable;

    /// <summary>Which AES implementation this instance runs on.</summary>
    public AesImplementation Implementation => _implementation;

    /// <summary>
    /// Encrypts <paramref name="plaintext"/> into <paramref name="ciphertext"/> (same length) and writes the
    /// 16-byte tag, authenticating <paramref name="associatedData"/> too.
    /// </summary>
    public void Encrypt(
        ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> associatedData, ReadOnlySpan<byte> plaintext,
        Span<byte> ciphertext, Span<byte> tag) =>
        Encrypt(FormatNonce(nonce), associatedData, plaintext, ciphertext, tag);

    /// <summary>
    /// Checks the tag and decrypts. On failure returns false and leaves <paramref name="plaintext"/> zeroed,
    /// so unauthenticated bytes never escape.
    /// </summary>
    public bool TryDecrypt(
        ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> associatedData, ReadOnlySpan<byte> ciphertext,
        ReadOnlySpan<byte> tag, Span<byte> plaintext) =>
        TryDecrypt(FormatNonce(nonce), associatedData, ciphertext, tag, plaintext);

    /// <summary>
    /// The RFC's formatted nonce block for a 96-bit nonce and 128-bit tag:
    /// 7 bits of TAGLEN mod 128 (zero), zero padding, a 1 bit, then the nonce: 00 00 00 01 || N.
    /// </summary>
    public static Vector128<byte> FormatNonce(ReadOnlySpan<byte> nonce)
    {
        if (nonce.Length != NonceLength)
        {
            CryptoThrowHelper.ThrowArgument($"An OCB nonce here is {NonceLength} bytes, not {nonce.Length}.", nameof(nonce));
        }

        return Block128.FromBigEndian(
            0x0000_0001_0000_0000UL | BinaryPrimitives.ReadUInt32BigEndian(nonce),
            BinaryPrimitives.ReadUInt64BigEndian(nonce[4..]));
    }

    /// <summary>The formatted nonce block for a nonce of four zero bytes followed by <paramref name="lastEight"/> big-endian (mosh's layout).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> FormatNonce(ulong lastEight) =>
        Block128.FromBigEndian(0x0000_0001_0000_0000UL, lastEight);

    internal void Encrypt(
        Vector128<byte> nonceBlock, ReadOnlySpan<byte> associatedData, ReadOnlySpan<byte> plaintext,
        Span<byte> ciphertext, Span<byte> tag)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (ciphertext.Length != plaintext.Length)
        {
            CryptoThrowHelper.ThrowArgument("Plaintext and ciphertext must have the same length.", nameof(ciphertext));
        }

        if (tag.Length != TagLength)
        {
            CryptoThrowHelper.ThrowArgument($"An OCB tag here is {TagLength} bytes, not {tag.Length}.", nameof(tag));
        }

        // The associated data is hashed before any output is written, in case the output covers it.
        Vector128<byte> adHash = HashAssociatedData(associatedData);

        // Blocks are processed front to back, so an output that starts later than its overlapping input
        // would overwrite bytes not yet read: move the input into place first and work in place.
        if (plaintext.Overlaps(ciphertext, out int shift) && shift > 0)
        {
            plaintext.CopyTo(ciphertext);
            plaintext = ciphertext;
        }

        Vector128<byte> result = _implementation switch
        {
            AesImplementation.AesNi => EncryptCore(_aesNi, ref _encryptStretch, nonceBlock, plaintext, ciphertext),
            AesImplementation.ArmAes => EncryptCore(_armAes, ref _encryptStretch, nonceBlock, plaintext, ciphertext),
            AesImplementation.Shuffle => EncryptCore(_shuffle, ref _encryptStretch, nonceBlock, plaintext, ciphertext),
            _ => EncryptCore(_portable, ref _encryptStretch, nonceBlock, plaintext, ciphertext),
        };
        Block128.StorePartial(result ^ adHash, tag);
    }

    internal bool TryDecrypt(
        Vector128<byte> nonceBlock, ReadOnlySpan<byte> associatedData, ReadOnlySpan<byte> ciphertext,
        ReadOnlySpan<byte> tag, Span<byte> plaintext)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (plaintext.Length != ciphertext.Length)
        {
            CryptoThrowHelper.ThrowArgument("Plaintext and ciphertext must have the same length.", nameof(plaintext));
        }

        if (tag.Length != TagLength)
        {
            return false;
        }

        // Read the tag and hash the associated data before any output is written, in case the output covers them.
        Vector128<byte> expected = Block128.Load(tag) ^ HashAssociatedData(associatedData);

        if (ciphertext.Overlaps(plaintext, out int shift) && shift > 0)
        {
            ciphertext.CopyTo(plaintext);
            ciphertext = plaintext;
        }

        Vector128<byte> computed = _implementation switch
        {
            AesImplementation.AesNi => DecryptCore(_aesNi, ref _decryptStretch, nonceBlock, ciphertext, plaintext),
            AesImplementation.ArmAes => DecryptCore(_armAes, ref _decryptStretch, nonceBlock, ciphertext, plaintext),
            AesImplementation.Shuffle => DecryptCore(_shuffle, ref _decryptStretch, nonceBlock, ciphertext, plaintext),
            _ => DecryptCore(_portable, ref _decryptStretch, nonceBlock, ciphertext, plaintext),
        };

        if (!Block128.FixedTimeEquals(computed, expected))
        {
            CryptographicOperations.ZeroMemory(plaintext);
            return false;
        }

        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Vector128<byte> HashAssociatedData(ReadOnlySpan<byte> associatedData)
    {
        if (associatedData.IsEmpty)
        {
            return Vector128<byte>.Zero; // mosh's case: HASH of the empty string is zero
        }

        return _implementation switch
        {
            AesImplementation.AesNi => Hash(_aesNi, associatedData),
            AesImplementation.ArmAes => Hash(_armAes, associatedData),
            AesImplementation.Shuffle => Hash(_shuffle, associatedData),
            _ => Hash(_portable, associatedData),
        };
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        switch (_implementation)
        {
            case AesImplementation.AesNi:
                _aesNi.Clear();
                break;
            case AesImplementation.ArmAes:
                _armAes.Clear();
                break;
            case AesImplementation.Shuffle:
                _shuffle.Clear();
                break;
            default:
                _portable.Clear();
                break;
        }

        Array.Clear(_l);
        _encryptStretch = default;
        _decryptStretch = default;
    }
}
