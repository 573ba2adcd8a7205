namespace Mosh.Terminal;

/// <summary>
/// Receives the actions of <see cref="AnsiParser"/>. The parser is generic over the handler type, so a struct
/// implementation gets its calls devirtualised and inlined (Kestrel's pattern). Collect, Param and Clear are
/// kept inside the parser; dispatches receive what they collected.
/// </summary>
internal interface IParserHandler
{
    /// <summary>A graphic character (code point 0x20..0x7F or >= 0xA0) in the ground state.</summary>
    void Print(int codePoint);

    /// <summary>A run of printable ASCII (0x20..0x7E) in the ground state; equivalent to one Print each.</summary>
    void PrintAscii(ReadOnlySpan<byte> text);

    /// <summary>
    /// A C0 (0x00..0x1F but ESC) or C1 (U+0080..U+009F) control function; a C1 control also arrives here in its
    /// 7-bit form ESC 0x40..0x5F.
    /// </summary>
    void Execute(int control);

    /// <summary>
    /// Called after a line feed (0x0A) executed in the ground state, with the bytes that follow it in the same
    /// <see cref="AnsiParser.Feed"/>: the handler may act on whole lines at their start itself (an output flood) and
    /// returns how many bytes it took, which the parser then skips; 0 leaves them all to the parser.
    /// </summary>
    int TakeLines(ReadOnlySpan<byte> following);

    /// <summary>An escape sequence other than a 7-bit C1 control: intermediates (0x20..0x2F, at most 8 kept) and final.</summary>
    void EscDispatch(ReadOnlySpan<byte> intermediates, int final);

    /// <summary>A control sequence: parameters, intermediates (incl. private markers, at most 8 kept), final.</summary>
    void CsiDispatch(CsiParams parameters, ReadOnlySpan<byte> intermediates, int final);

    /// <summary>
    /// SGR without intermediates or colon sub-parameters (<c>CSI 1;38;5;200 m</c>, one per colour change of coloured
    /// output), with each parameter's raw value (-1 when missing or above <see cref="CsiParams.MaxValue"/>): the same
    /// as <see cref="CsiDispatch"/> of <see cref="CsiParams.Plain"/>(<paramref name="parameters"/>), no intermediates
    /// and final 'm', which is what arrives instead when the sequence was cut between two writes.
    /// </summary>
    void SelectGraphicRendition(ReadOnlySpan<int> parameters);

    /// <summary>A device control string starts.</summary>
    void DcsHook(CsiParams parameters, ReadOnlySpan<byte> intermediates, int final);

    /// <summary>One character of a device control string.</summary>
    void DcsPut(int codePoint);

    /// <summary>The device control string ended.</summary>
    void DcsUnhook();

    /// <summary>An operating system command starts.</summary>
    void OscStart();

    /// <summary>One character of an operating system command (0x20..0x7F or >= 0xA0).</summary>
    void OscPut(int codePoint);

    /// <summary>The operating system command ended (BEL, ST, or cancelled by another control).</summary>
    void OscEnd();
}
