using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using Mosh.Util;

namespace Mosh.Crypto;

/// <summary>
/// The 128-bit key a mosh session shares, printed as upstream prints it: standard base64 of the 16 bytes
/// without the trailing "==", 22 letters (the <c>MOSH CONNECT</c> line and <c>MOSH_KEY</c>).
/// Parsing is as strict as upstream's: exactly 22 base64 letters whose decoding re-encodes identically.
/// </summary>
internal sealed class SessionKey
{
    public const int Length = 16;
    public const int PrintableLength = 22;

    private static readonly SearchValues<char> Alphabet =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");

    private readonly byte[] _bytes;

    private SessionKey(byte[] bytes) => _bytes = bytes;

    public ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>A fresh key from the operating system's cryptographic random source.</summary>
    public static SessionKey Generate()
    {
        byte[] bytes = new byte[Length];
        OsRandom.Fill(bytes);
        return new SessionKey(bytes);
    }

    public static SessionKey FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length)
        {
            throw new ArgumentException($"A session key is {Length} bytes, not {bytes.Length}.", nameof(bytes));
        }

        return new SessionKey(bytes.ToArray());
    }

    /// <summary>The printable key: 22 letters of base64, no padding.</summary>
    public override string ToString()
    {
        Span<char> base64 = stackalloc char[24];
        Convert.TryToBase64Chars(_bytes, base64, out _);
        return new string(base64[..PrintableLength]);
    }

    public static SessionKey Parse(string text)
    {
        if (!TryParse(text, out SessionKey? key, out string? error))
        {
            throw new CryptoException(error);
        }

        return key;
    }

    public static bool TryParse(
        string? text, [NotNullWhen(true)] out SessionKey? key, [NotNullWhen(false)] out string? error)
    {
        key = null;
        if (text is null)
        {
            error = "No key was given.";
            return false;
        }

        if (text.Length != PrintableLength)
        {
            error = $"Key must be {PrintableLength} letters long (got {text.Length}).";
            return false;
        }

        int bad = text.AsSpan().IndexOfAnyExcept(Alphabet);
        if (bad >= 0)
        {
            error = $"Key must be well-formed base64: '{text[bad]}' at position {bad + 1} is not one of A-Z, a-z, 0-9, + or /.";
            return false;
        }

        Span<char> padded = stackalloc char[PrintableLength + 2];
        text.CopyTo(padded);
        padded[PrintableLength] = '=';
        padded[PrintableLength + 1] = '=';
        byte[] bytes = new byte[Length];
        if (!Convert.TryFromBase64Chars(padded, bytes, out int written) || written != Length)
        {
            error = "Key must be well-formed base64 representing 16 octets.";
            return false;
        }

        // The last letter carries 2 key bits and 4 spare bits; a key whose spare bits are set decodes to the
        // same bytes as another string, so (like upstream) accept only the canonical encoding.
        var candidate = new SessionKey(bytes);
        if (!string.Equals(candidate.ToString(), text, StringComparison.Ordinal))
        {
            error = $"Key is not the canonical encoding of a 128-bit key: its last letter '{text[^1]}' has bits set beyond the key.";
            return false;
        }

        key = candidate;
        error = null;
        return true;
    }
}
