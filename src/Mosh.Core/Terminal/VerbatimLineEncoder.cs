using System.Buffers;

namespace Mosh.Terminal;

/// <summary>
/// Writes the <see cref="HistoryLine"/> (stored form) of a row from what the application wrote for it
/// (<see cref="VerbatimLine"/>): the bytes parsed again from the renditions the row began in, each print and SGR
/// applied as the emulator applies them, the line drafted as it goes (<see cref="HistoryDraft"/>), without cells. The
/// bytes hold only what a <see cref="VerbatimLine"/> accepts (prints that fit the row, SGR, an erase that changes
/// nothing); anything else, which the emulator would not have left the row's bytes kept for, sends the row through a
/// one-row emulator and <see cref="HistoryLine.Encode"/> instead, so the line is the cells' either way.
/// </summary>
internal sealed class VerbatimLineEncoder
{
    private readonly AnsiParser _parser = new();
    private HistoryDraft _draft = HistoryDraft.None;
    private Renditions _renditions;
    private int _column;
    private int _width;
    private bool _failed;

    public VerbatimLineEncoder() => _draft.Start(default);

    /// <summary>How many lines took the one-row emulator (none, when the emulator and this agree on what a row's bytes may hold).</summary>
    public long Fallbacks { get; private set; }

    /// <summary>
    /// The stored history line of a row <paramref name="width"/> columns wide, blanked in <paramref name="fill"/>,
    /// whose application wrote <paramref name="bytes"/> starting in <paramref name="start"/> at its first column.
    /// </summary>
    public void Encode(int width, in Renditions start, TerminalColor fill, ReadOnlySpan<byte> bytes, IBufferWriter<byte> output)
    {
        _width = width;
        _column = 0;
        _renditions = start;
        _failed = false;
        _draft.Restart(fill);
        _parser.Reset();
        var handler = new Handler(this);
        _parser.Feed(bytes, ref handler);
        if (!_failed && _parser.State == ParserState.Ground && _draft.TryFinish(width, out ReadOnlySpan<byte> line))
        {
            line.CopyTo(output.GetSpan(line.Length));
            output.Advance(line.Length);
            return;
        }

        EncodeThroughEmulator(width, start, fill, bytes, output);
    }

    private void EncodeThroughEmulator(int width, in Renditions start, TerminalColor fill, ReadOnlySpan<byte> bytes, IBufferWriter<byte> output)
    {
        // A fresh one each time (this is never the common path): no mode or state left over from another line.
        Fallbacks++;
        var emulator = new Emulator(width, 1);
        Framebuffer screen = emulator.Framebuffer;
        screen.State.Renditions = start;
        screen.GetMutableRow(0).Reset(fill);
        emulator.Write(bytes);
        HistoryLine.Encode(screen.GetRow(0), output);
    }

    private void PrintAscii(ReadOnlySpan<byte> text)
    {
        if (text.Length > _width - _column)
        {
            _failed = true; // the emulator wraps there: a row's bytes end before
            return;
        }

        _draft.AppendAscii(_column, text, _renditions);
        _column += text.Length;
    }

    private void Print(int codePoint)
    {
        int width = Emulator.WidthOf(codePoint);
        if (width < 0)
        {
            return; // prints nothing
        }

        if (width == 0 || _column + width > _width)
        {
            _failed = true; // a combining mark, or a wrap: not in a row's bytes
            return;
        }

        _draft.AppendCharacter(_column, codePoint, _renditions, width == 2);
        if (width == 2 && _column + 1 < _width)
        {
            _draft.Erase(_column + 1, _column + 1, _renditions.Background); // the right half, as printing erases it
        }

        _column += width;
    }

    private void CsiDispatch(CsiParams parameters, ReadOnlySpan<byte> intermediates, int final)
    {
        if (!intermediates.IsEmpty)
        {
            _failed = true;
        }
        else if (final == 'm')
        {
            Emulator.ApplySgr(ref _renditions, parameters);
        }
        else if (final == 'K' && !parameters.HasSubParameters && parameters.Get(0, 0) == 0 && _column < _width)
        {
            _draft.Erase(_column, _width - 1, _renditions.Background); // blank already: no change (else the draft is abandoned)
        }
        else
        {
            _failed = true;
        }
    }

    private readonly struct Handler(VerbatimLineEncoder encoder) : IParserHandler
    {
        public void Print(int codePoint) => encoder.Print(codePoint);

        public void PrintAscii(ReadOnlySpan<byte> text) => encoder.PrintAscii(text);

        public void Execute(int control) => encoder._failed = true;

        public int TakeLines(ReadOnlySpan<byte> following) => 0;

        public void EscDispatch(ReadOnlySpan<byte> intermediates, int final) => encoder._failed = true;

        public void CsiDispatch(CsiParams parameters, ReadOnlySpan<byte> intermediates, int final) =>
            encoder.CsiDispatch(parameters, intermediates, final);

        public void SelectGraphicRendition(ReadOnlySpan<int> parameters) => Emulator.ApplySgr(ref encoder._renditions, parameters);

        public void DcsHook(CsiParams parameters, ReadOnlySpan<byte> intermediates, int final) => encoder._failed = true;

        public void DcsPut(int codePoint)
        {
        }

        public void DcsUnhook()
        {
        }

        public void OscStart() => encoder._failed = true;

        public void OscPut(int codePoint)
        {
        }

        public void OscEnd()
        {
        }
    }
}
