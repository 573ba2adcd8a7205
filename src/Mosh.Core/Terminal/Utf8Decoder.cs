namespace Mosh.Terminal;

/// <summary>
/// Incremental UTF-8 decoder: bytes may arrive split anywhere. Ill-formed input becomes U+FFFD once per
/// maximal subpart (Unicode's recommended practice, as the WHATWG decoder does): a byte that cannot continue
/// the pending sequence ends it with one U+FFFD and is then decoded afresh. Overlongs, surrogates and values
/// above U+10FFFF are rejected at the byte that makes them so. Raw bytes 0x80-0x9F are ill-formed; C1 controls
/// arrive as the code points U+0080-U+009F (C2 80 .. C2 9F).
/// </summary>
internal struct Utf8Decoder
{
    public const int ReplacementCharacter = 0xFFFD;

    private int _codePoint;
    private byte _needed;
    private byte _seen;
    private byte _lower;
    private byte _upper;

    /// <summary>True when no multi-byte sequence is pending.</summary>
    public readonly bool IsIdle => _needed == 0;

    /// <summary>
    /// Decodes one byte. Returns how many code points it completed (0, 1 or 2: a U+FFFD for a broken sequence
    /// and then the byte itself) in <paramref name="first"/> and <paramref name="second"/>.
    /// </summary>
    public int Push(byte value, out int first, out int second)
    {
        second = -1;
        if (_needed == 0)
        {
            return Start(value, out first);
        }

        if (value < _lower || value > _upper)
        {
            Reset();
            first = ReplacementCharacter;
            return Start(value, out second) + 1;
        }

        _lower = 0x80;
        _upper = 0xBF;
        _codePoint = (_codePoint << 6) | (value & 0x3F);
        if (++_seen < _needed)
        {
            first = -1;
            return 0;
        }

        first = _codePoint;
        Reset();
        return 1;
    }

    /// <summary>Forgets any pending partial sequence.</summary>
    public void Reset()
    {
        _needed = 0;
        _seen = 0;
        _codePoint = 0;
    }

    private int Start(byte value, out int codePoint)
    {
        codePoint = -1;
        switch (value)
        {
            case < 0x80:
                codePoint = value;
                return 1;
            case >= 0xC2 and <= 0xDF:
                Begin(1, value & 0x1F, 0x80, 0xBF);
                return 0;
            case >= 0xE0 and <= 0xEF:
                // E0 needs A0.. (no overlongs); ED needs ..9F (no surrogates).
                Begin(2, value & 0x0F, value == 0xE0 ? (byte)0xA0 : (byte)0x80, value == 0xED ? (byte)0x9F : (byte)0xBF);
                return 0;
            case >= 0xF0 and <= 0xF4:
                // F0 needs 90.. (no overlongs); F4 needs ..8F (nothing above U+10FFFF).
                Begin(3, value & 0x07, value == 0xF0 ? (byte)0x90 : (byte)0x80, value == 0xF4 ? (byte)0x8F : (byte)0xBF);
                return 0;
            default:
                codePoint = ReplacementCharacter;
                return 1;
        }
    }

    private void Begin(byte needed, int bits, byte lower, byte upper)
    {
        _needed = needed;
        _seen = 0;
        _codePoint = bits;
        _lower = lower;
        _upper = upper;
    }
}
