using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text;

namespace Mosh.Terminal;

/// <summary>
/// Paul Williams' DEC ANSI parser (vt100.net/emu/dec_ansi_parser) fed by an incremental UTF-8 decoder, with
/// upstream mosh's choices: code points from U+00A0 up act like 'A' for the state rules (they print in
/// ground and end control sequences), BEL ends an OSC, ESC followed by 0x40..0x5F executes the C1 control, and buffers are bounded (parameter string
/// <see cref="MaxParamLength"/> characters, <see cref="MaxIntermediates"/> intermediates). Unlike upstream, ':'
/// is a parameter character (colon sub-parameters) in control sequences. Allocation-free; one parser per
/// byte stream.
/// </summary>
internal sealed class AnsiParser
{
    /// <summary>Upstream keeps at most 100 parameter characters (enough for 16 five-digit parameters).</summary>
    public const int MaxParamLength = 100;

    /// <summary>Upstream keeps fewer than 8 dispatch characters.</summary>
    public const int MaxIntermediates = 8;

    private const int MaxElements = MaxParamLength + 1;

    private ParserState _state;
    private Utf8Decoder _decoder;

    private ParamChars _paramChars;
    private int _paramLength;
    private Intermediates _intermediates;
    private int _intermediateCount;
    private Elements _values;
    private Elements _starts;

    public ParserState State => _state;

    /// <summary>
    /// Where in the bytes being fed the token now reported to the handler begins (a whole token of the ground state:
    /// a printable run, a character, a control, a control sequence), or -1 for what the state machine reports a byte
    /// at a time. The emulator finds a row's bytes by it (<see cref="VerbatimLine"/>).
    /// </summary>
    public int TokenStart => _tokenStart;

    private int _tokenStart = -1;

    /// <summary>Back to ground with nothing pending (a partial UTF-8 sequence is dropped).</summary>
    public void Reset()
    {
        _tokenStart = -1;
        _state = ParserState.Ground;
        _decoder.Reset();
        Clear();
    }

    /// <summary>Parses bytes, reporting actions to <paramref name="handler"/>.</summary>
    public void Feed<THandler>(ReadOnlySpan<byte> data, ref THandler handler)
        where THandler : IParserHandler
    {
        int i = 0;
        while (i < data.Length)
        {
            if (_state == ParserState.Ground && _decoder.IsIdle)
            {
                // Whole tokens in the ground state, one after another: none of them leaves it (the handler cannot
                // touch the parser), so the state is not looked at again until something needs the machine.
                while (i < data.Length)
                {
                    byte b = data[i];
                    _tokenStart = i;
                    if ((uint)(b - 0x20) <= 0x7E - 0x20)
                    {
                        // Coloured output prints a word at a time: the run's end is the first byte that is not
                        // printable among the next sixteen, found with one vector compare (no loop whose exit depends
                        // on each word's length, a mispredicted branch a word); only a longer run takes the vectorised
                        // search, whose set-up costs more than a word's bytes.
                        ReadOnlySpan<byte> rest = data[i..];
                        int run;
                        if (rest.Length >= Vector128<byte>.Count)
                        {
                            uint stops = NotPrintableAscii(Vector128.LoadUnsafe(ref MemoryMarshal.GetReference(rest)));
                            if (stops != 0)
                            {
                                run = BitOperations.TrailingZeroCount(stops);
                            }
                            else
                            {
                                int more = rest[Vector128<byte>.Count..].IndexOfAnyExceptInRange((byte)0x20, (byte)0x7E);
                                run = more < 0 ? rest.Length : Vector128<byte>.Count + more;
                            }
                        }
                        else
                        {
                            run = 1;
                            while (run < rest.Length && (uint)(rest[run] - 0x20) <= 0x7E - 0x20)
                            {
                                run++;
                            }
                        }

                        handler.PrintAscii(rest[..run]);
                        i += run;
                    }
                    else if (b == 0x1B)
                    {
                        int length = WholeCsi(data[i..], ref handler);
                        if (length == 0)
                        {
                            break;
                        }

                        i += length;
                    }
                    else if (b >= 0xC2)
                    {
                        // A whole well-formed character (not a C1 control): printed as the decoder and the state
                        // machine would print it, without feeding them its bytes one at a time.
                        if (!DecodeWhole(data[i..], out int codePoint, out int consumed) || codePoint < 0xA0)
                        {
                            break;
                        }

                        handler.Print(codePoint);
                        i += consumed;
                    }
                    else if (b < 0x20 && b != 0x18 && b != 0x1A)
                    {
                        i++;
                        handler.Execute(b); // C0 control in ground: no transition
                        if (b == 0x0A)
                        {
                            i += handler.TakeLines(data[i..]);
                        }
                    }
                    else
                    {
                        break;
                    }
                }

                if (i == data.Length)
                {
                    break;
                }
            }

            // Anything else: one byte through the decoder and the state machine.
            _tokenStart = -1;
            byte value = data[i++];
            if (value < 0x80 && _decoder.IsIdle)
            {
                Input(value, ref handler);
                if (_state == ParserState.CsiParam)
                {
                    i += CollectParamRun(data[i..]);
                }

                continue;
            }

            int produced = _decoder.Push(value, out int first, out int second);
            if (produced > 0)
            {
                Input(first, ref handler);
                if (produced > 1)
                {
                    Input(second, ref handler);
                }
            }
        }
    }

    /// <summary>A bit for each of the 16 bytes that is not printable ASCII (0x20..0x7E); the flood scan uses it too.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static uint NotPrintableAscii(Vector128<byte> bytes) =>
        Vector128.GreaterThan(bytes - Vector128.Create((byte)0x20), Vector128.Create((byte)(0x7E - 0x20))).ExtractMostSignificantBits();

    /// <summary>
    /// The well-formed UTF-8 character at the start of <paramref name="data"/> (which starts with a lead byte), as
    /// <see cref="Rune.DecodeFromUtf8"/> finds it: two- and three-byte forms (all of the BMP) are decoded here, the
    /// rest, and anything malformed or cut short, by it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool DecodeWhole(ReadOnlySpan<byte> data, out int codePoint, out int length)
    {
        uint lead = data[0];
        if (lead < 0xE0)
        {
            if (data.Length >= 2 && (data[1] & 0xC0) == 0x80)
            {
                codePoint = (int)(((lead & 0x1F) << 6) | (data[1] & 0x3Fu));
                length = 2;
                return lead >= 0xC2;
            }
        }
        else if (lead < 0xF0 && data.Length >= 3 && (data[1] & 0xC0) == 0x80 && (data[2] & 0xC0) == 0x80)
        {
            // Not an overlong form (below U+0800) and not a surrogate.
            uint value = ((lead & 0x0F) << 12) | ((data[1] & 0x3Fu) << 6) | (data[2] & 0x3Fu);
            codePoint = (int)value;
            length = 3;
            return value >= 0x800 && value - 0xD800 >= 0x800;
        }

        bool whole = Rune.DecodeFromUtf8(data, out Rune rune, out length) == OperationStatus.Done;
        codePoint = rune.Value;
        return whole;
    }

    /// <summary>
    /// A control sequence that lies whole in <paramref name="data"/> (ESC [, parameter characters, a final byte),
    /// dispatched in one step as the state machine would (coloured output has one per word); returns its length,
    /// or 0 to leave anything else (private markers, intermediates, controls inside, a cut-off end) to the machine.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int WholeCsi<THandler>(ReadOnlySpan<byte> data, ref THandler handler)
        where THandler : IParserHandler
    {
        if (data.Length < 3 || data[1] != (byte)'[')
        {
            return 0;
        }

        if (data.Length >= 4 && Unsafe.ReadUnaligned<uint>(ref MemoryMarshal.GetReference(data)) == 0x6D_30_5B_1Bu)
        {
            // ESC [ 0 m, every coloured word's end, as one comparison.
            Clear();
            _values[0] = 0;
            handler.SelectGraphicRendition(((ReadOnlySpan<int>)_values)[..1]);
            return 4;
        }

        // Digits and ';' are parsed into values as they are scanned (one pass over an SGR, the usual case here); a
        // colon or a parameter string longer than the buffer keeps leaves parsing to ParseParams.
        Span<int> values = _values;
        int elements = 0;
        int value = 0;
        bool digits = false;
        bool plain = true;
        int n = 2;
        int plainEnd = Math.Min(data.Length, 2 + MaxParamLength);
        for (; n < plainEnd; n++)
        {
            uint digit = (uint)(data[n] - '0');
            if (digit <= 9)
            {
                value = AppendDigit(value, digit);
                digits = true;
            }
            else if (digit == ';' - '0')
            {
                values[elements++] = digits ? value : -1;
                value = 0;
                digits = false;
            }
            else if (digit == ':' - '0')
            {
                plain = false;
            }
            else
            {
                break;
            }
        }

        if (n == plainEnd)
        {
            // Ran past what the buffer keeps (or out of data): the rest is scanned, and parsed the general way.
            plain = false;
            while (n < data.Length && (uint)(data[n] - '0') <= ';' - '0')
            {
                n++;
            }
        }

        if (n == data.Length || (uint)(data[n] - 0x40) > 0x7E - 0x40)
        {
            return 0;
        }

        // Parsed where it lies, not copied into the parameter buffer first; cut to what the buffer would keep.
        Clear();
        if (plain && data[n] == (byte)'m')
        {
            values[elements++] = digits ? value : -1;
            handler.SelectGraphicRendition(values[..elements]);
        }
        else
        {
            handler.CsiDispatch(ParseParams(data.Slice(2, Math.Min(n - 2, MaxParamLength))), default, data[n]);
        }

        return n + 1;
    }

    /// <summary>Feeds one decoded code point through the state machine.</summary>
    public void Input<THandler>(int ch, ref THandler handler)
        where THandler : IParserHandler
    {
        // "Anywhere" transitions first.
        if (ch == 0x1B)
        {
            Transition(ParserState.Escape, ref handler);
            return;
        }

        if (ch is 0x18 or 0x1A || (ch >= 0x80 && ch <= 0x9F))
        {
            AnywhereControl(ch, ref handler);
            return;
        }

        // For the state rules, everything from U+00A0 up behaves like 'A' (a GR/graphic character).
        int c = ch >= 0xA0 ? 0x41 : ch;
        switch (_state)
        {
            case ParserState.Ground:
                if (IsC0(c))
                {
                    handler.Execute(ch);
                }
                else
                {
                    handler.Print(ch);
                }

                break;
            case ParserState.Escape:
                EscapeRule(ch, c, ref handler);
                break;
            case ParserState.EscapeIntermediate:
                if (IsC0(c))
                {
                    handler.Execute(ch);
                }
                else if (c <= 0x2F)
                {
                    Collect(c);
                }
                else if (c <= 0x7E)
                {
                    EscDispatch(ch, ref handler);
                }

                break;
            case ParserState.CsiEntry:
            case ParserState.CsiParam:
                CsiParamRule(ch, c, ref handler);
                break;
            case ParserState.CsiIntermediate:
                if (IsC0(c))
                {
                    handler.Execute(ch);
                }
                else if (c <= 0x2F)
                {
                    Collect(c);
                }
                else if (c <= 0x3F)
                {
                    _state = ParserState.CsiIgnore;
                }
                else if (c <= 0x7E)
                {
                    CsiDispatch(ch, ref handler);
                }

                break;
            case ParserState.CsiIgnore:
                if (IsC0(c))
                {
                    handler.Execute(ch);
                }
                else if (c >= 0x40 && c <= 0x7E)
                {
                    _state = ParserState.Ground;
                }

                break;
            case ParserState.DcsEntry:
            case ParserState.DcsParam:
            case ParserState.DcsIntermediate:
                DcsRule(ch, c, ref handler);
                break;
            case ParserState.DcsPassthrough:
                if (c <= 0x7E && (IsC0(c) || c >= 0x20))
                {
                    handler.DcsPut(ch);
                }

                break;
            case ParserState.OscString:
                if (c >= 0x20)
                {
                    handler.OscPut(ch);
                }
                else if (c == 0x07)
                {
                    Transition(ParserState.Ground, ref handler);
                }

                break;
            default:
                // DCS ignore and SOS/PM/APC strings swallow everything until an "anywhere" transition.
                break;
        }
    }

    private static bool IsC0(int c) => c <= 0x17 || c == 0x19 || (c >= 0x1C && c <= 0x1F);

    private void AnywhereControl<THandler>(int ch, ref THandler handler)
        where THandler : IParserHandler
    {
        switch (ch)
        {
            case 0x9C: // ST
                Transition(ParserState.Ground, ref handler);
                break;
            case 0x90:
                Transition(ParserState.DcsEntry, ref handler);
                break;
            case 0x9B:
                Transition(ParserState.CsiEntry, ref handler);
                break;
            case 0x9D:
                Transition(ParserState.OscString, ref handler);
                break;
            case 0x98 or 0x9E or 0x9F:
                Transition(ParserState.SosPmApcString, ref handler);
                break;
            default: // CAN, SUB and the other C1 controls execute and end any sequence
                ExitState(ref handler);
                handler.Execute(ch);
                _state = ParserState.Ground;
                break;
        }
    }

    private void EscapeRule<THandler>(int ch, int c, ref THandler handler)
        where THandler : IParserHandler
    {
        if (IsC0(c))
        {
            handler.Execute(ch);
            return;
        }

        switch (c)
        {
            case <= 0x2F:
                Collect(c);
                _state = ParserState.EscapeIntermediate;
                break;
            case 0x50: // P
                Transition(ParserState.DcsEntry, ref handler);
                break;
            case 0x5B: // [
                Transition(ParserState.CsiEntry, ref handler);
                break;
            case 0x5D: // ]
                Transition(ParserState.OscString, ref handler);
                break;
            case 0x58 or 0x5E or 0x5F: // X ^ _
                Transition(ParserState.SosPmApcString, ref handler);
                break;
            case <= 0x7E:
                EscDispatch(ch, ref handler);
                break;
            default: // DEL
                break;
        }
    }

    private void CsiParamRule<THandler>(int ch, int c, ref THandler handler)
        where THandler : IParserHandler
    {
        if (IsC0(c))
        {
            handler.Execute(ch);
        }
        else if ((c >= '0' && c <= ';'))
        {
            // Digits, ':' (our extension: sub-parameters) and ';'.
            Param(c);
            _state = ParserState.CsiParam;
        }
        else if (c >= 0x3C && c <= 0x3F)
        {
            // Private markers are collected right after CSI; later they make the sequence invalid.
            if (_state == ParserState.CsiEntry)
            {
                Collect(c);
                _state = ParserState.CsiParam;
            }
            else
            {
                _state = ParserState.CsiIgnore;
            }
        }
        else if (c <= 0x2F)
        {
            Collect(c);
            _state = ParserState.CsiIntermediate;
        }
        else if (c <= 0x7E)
        {
            CsiDispatch(ch, ref handler);
        }
    }

    private void DcsRule<THandler>(int ch, int c, ref THandler handler)
        where THandler : IParserHandler
    {
        bool intermediate = _state == ParserState.DcsIntermediate;
        if (c >= 0x20 && c <= 0x2F)
        {
            Collect(c);
            _state = ParserState.DcsIntermediate;
        }
        else if (c >= 0x40 && c <= 0x7E)
        {
            _state = ParserState.DcsPassthrough;
            handler.DcsHook(ParseParams(((ReadOnlySpan<byte>)_paramChars)[.._paramLength]), _intermediates[.._intermediateCount], ch);
        }
        else if (intermediate && c >= 0x30 && c <= 0x3F)
        {
            _state = ParserState.DcsIgnore;
        }
        else if ((c >= '0' && c <= '9') || c == ';')
        {
            Param(c);
            _state = ParserState.DcsParam;
        }
        else if (c == ':')
        {
            _state = ParserState.DcsIgnore;
        }
        else if (c >= 0x3C && c <= 0x3F)
        {
            if (_state == ParserState.DcsEntry)
            {
                Collect(c);
                _state = ParserState.DcsParam;
            }
            else
            {
                _state = ParserState.DcsIgnore;
            }
        }
    }

    private void Transition<THandler>(ParserState next, ref THandler handler)
        where THandler : IParserHandler
    {
        ExitState(ref handler);
        _state = next;
        switch (next)
        {
            case ParserState.Escape:
            case ParserState.CsiEntry:
            case ParserState.DcsEntry:
                Clear();
                break;
            case ParserState.OscString:
                handler.OscStart();
                break;
            default:
                break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void ExitState<THandler>(ref THandler handler)
        where THandler : IParserHandler
    {
        if (_state == ParserState.OscString)
        {
            handler.OscEnd();
        }
        else if (_state == ParserState.DcsPassthrough)
        {
            handler.DcsUnhook();
        }
    }

    private void EscDispatch<THandler>(int ch, ref THandler handler)
        where THandler : IParserHandler
    {
        _state = ParserState.Ground;
        if (_intermediateCount == 0 && ch >= 0x40 && ch <= 0x5F)
        {
            // The 7-bit form of a C1 control (ESC D = IND, ESC M = RI, ESC \ = ST, ...) acts as the control.
            handler.Execute(ch + 0x40);
            return;
        }

        handler.EscDispatch(_intermediates[.._intermediateCount], ch);
    }

    private void CsiDispatch<THandler>(int ch, ref THandler handler)
        where THandler : IParserHandler
    {
        _state = ParserState.Ground;
        handler.CsiDispatch(ParseParams(((ReadOnlySpan<byte>)_paramChars)[.._paramLength]), _intermediates[.._intermediateCount], ch);
    }

    private void Clear()
    {
        _paramLength = 0;
        _intermediateCount = 0;
    }

    private void Collect(int c)
    {
        if (_intermediateCount < MaxIntermediates)
        {
            _intermediates[_intermediateCount++] = (byte)c;
        }
    }

    // Takes a run of parameter characters (digits, ':' and ';') in one go; returns how many were consumed.
    private int CollectParamRun(ReadOnlySpan<byte> data)
    {
        int n = 0;
        while (n < data.Length && (uint)(data[n] - '0') <= ';' - '0')
        {
            n++;
        }

        int room = Math.Min(n, MaxParamLength - _paramLength);
        if (room > 0)
        {
            data[..room].CopyTo(((Span<byte>)_paramChars)[_paramLength..]);
            _paramLength += room;
        }

        return n;
    }

    private void Param(int c)
    {
        if (_paramLength < MaxParamLength)
        {
            _paramChars[_paramLength++] = (byte)c;
        }
    }

    // Splits the parameter string like upstream's strtol loop: each element is its leading digits, -1 when
    // there are none or the value exceeds 65535.
    private CsiParams ParseParams(ReadOnlySpan<byte> chars)
    {
        // Over spans of the inline buffers: one bounds check each, not one per element (a CSI per coloured word).
        Span<int> values = _values;
        Span<int> starts = _starts;
        int elements = 0, tops = 0;
        bool subs = false;
        int value = 0;
        bool digits = false;
        starts[tops++] = 0;
        for (int i = 0; i < chars.Length; i++)
        {
            int c = chars[i];
            uint digit = (uint)(c - '0');
            if (digit <= 9)
            {
                value = AppendDigit(value, digit);
                digits = true;
                continue;
            }

            values[elements++] = digits ? value : -1;
            value = 0;
            digits = false;
            if (c == ';')
            {
                starts[tops++] = elements;
            }
            else
            {
                subs = true;
            }
        }

        values[elements++] = digits ? value : -1;
        return new CsiParams(values[..elements], starts[..tops], subs);
    }

    [InlineArray(MaxParamLength)]
    private struct ParamChars
    {
        private byte _element0;
    }

    [InlineArray(MaxIntermediates)]
    private struct Intermediates
    {
        private byte _element0;
    }

    [InlineArray(MaxElements)]
    private struct Elements
    {
        private int _element0;
    }

    /// <summary>A parameter's value after one more digit: -1 (out of range) once past <see cref="CsiParams.MaxValue"/>, and then for good.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int AppendDigit(int value, uint digit)
    {
        if (value < 0)
        {
            return value;
        }

        value = (value * 10) + (int)digit;
        return value > CsiParams.MaxValue ? -1 : value;
    }
}
