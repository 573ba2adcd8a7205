namespace Mosh.Terminal;

// C0/C1 control functions and escape sequences.
internal sealed partial class Emulator
{
    private void Execute(int control)
    {
        ref DrawState ds = ref _fb.State;
        if (control == 0x09)
        {
            // HT keeps the deferred-wrap flag (and only HT-like functions do).
            TabForward(1);
            return;
        }

        // Every other control, known or not, clears the deferred-wrap flag (upstream's dispatcher).
        ds.NextPrintWillWrap = false;
        switch (control)
        {
            case 0x07: // BEL
                _fb.RingBell();
                break;
            case 0x08: // BS
                ds.MoveColumn(-1, relative: true);
                break;
            case 0x0A: // LF
            case 0x0B: // VT
            case 0x0C: // FF
            case 0x84: // IND
                _fb.MoveRowsAutoscroll(1);
                break;
            case 0x0D: // CR
                ds.MoveColumn(0);
                break;
            case 0x85: // NEL
                ds.MoveColumn(0);
                _fb.MoveRowsAutoscroll(1);
                break;
            case 0x88: // HTS
                ds.SetTab();
                break;
            case 0x8D: // RI
                _fb.MoveRowsAutoscroll(-1);
                break;
            default:
                break;
        }
    }

    /// <summary>HT / CHT / CBT: to the count-th tab stop (negative: backwards); no stop ahead means the last column.</summary>
    private void TabForward(int count)
    {
        ref DrawState ds = ref _fb.State;
        int col = ds.GetNextTab(count);
        if (col == -1)
        {
            col = ds.Width - 1;
        }

        bool wrap = ds.NextPrintWillWrap;
        ds.MoveColumn(col);
        ds.NextPrintWillWrap = wrap;
    }

    private void EscDispatch(ReadOnlySpan<byte> intermediates, int final)
    {
        // (ESC 0x40..0x5F arrives as the C1 control through Execute.)
        _fb.State.NextPrintWillWrap = false;
        if (intermediates.IsEmpty)
        {
            switch (final)
            {
                case '7': // DECSC
                    _fb.State.SaveCursor();
                    break;
                case '8': // DECRC
                    _fb.State.RestoreCursor();
                    break;
                case 'c': // RIS
                    _fb.Reset();
                    break;
                default:
                    break;
            }
        }
        else if (intermediates.Length == 1 && intermediates[0] == '#' && final == '8')
        {
            ScreenAlignment();
        }
    }

    /// <summary>DECALN: every cell becomes an 'E' with the current background (the cursor stays).</summary>
    private void ScreenAlignment()
    {
        var renditions = Renditions.WithBackground(_fb.State.Renditions.Background);
        for (int y = 0; y < _fb.Height; y++)
        {
            Row row = _fb.GetMutableRow(y);
            for (int x = 0; x < row.Width; x++)
            {
                row.SetCharacter(x, 'E', renditions, wide: false);
            }
        }
    }
}
