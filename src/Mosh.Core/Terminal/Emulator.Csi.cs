namespace Mosh.Terminal;

// Control sequences (CSI) other than SGR and modes.
internal sealed partial class Emulator
{
    private void CsiDispatch(CsiParams p, ReadOnlySpan<byte> intermediates, int final)
    {
        // Colon sub-parameters are only understood by SGR; elsewhere the sequence is ignored entirely, as
        // upstream ignores every sequence containing ':' (no dispatch: the deferred-wrap flag stays).
        if (p.HasSubParameters && !(final == 'm' && intermediates.IsEmpty))
        {
            return;
        }

        int marker = intermediates.Length switch
        {
            0 => 0,
            1 => intermediates[0],
            _ => -1,
        };

        ref DrawState ds = ref _fb.State;
        if (marker == 0 && final is 'I' or 'Z' or 'g' or 'm')
        {
            // Tabs and renditions keep the deferred-wrap flag.
            switch (final)
            {
                case 'I': // CHT
                    TabForward(p.Get(0, 1));
                    break;
                case 'Z': // CBT
                    TabForward(-p.Get(0, 1));
                    break;
                case 'g':
                    TabClear(p.Get(0, 0));
                    break;
                default:
                    SelectGraphicRendition(p);
                    break;
            }

            return;
        }

        if (marker == '?' && final is 'h' or 'l')
        {
            SetDecModes(p, final == 'h'); // keeps the deferred-wrap flag too
            return;
        }

        ds.NextPrintWillWrap = false;
        switch (marker)
        {
            case 0:
                PlainCsi(p, final);
                break;
            case '>' when final == 'c':
                AnswerHost("\e[>1;10;0c"u8); // secondary DA: a plain VT220
                break;
            case '!' when final == 'p':
                _fb.SoftReset();
                break;
            default:
                break;
        }
    }

    private void PlainCsi(CsiParams p, int final)
    {
        ref DrawState ds = ref _fb.State;
        switch (final)
        {
            case 'A': // CUU
                ds.MoveRow(-p.Get(0, 1), relative: true);
                break;
            case 'B': // CUD
                ds.MoveRow(p.Get(0, 1), relative: true);
                break;
            case 'C': // CUF
                ds.MoveColumn(p.Get(0, 1), relative: true);
                break;
            case 'D': // CUB
                ds.MoveColumn(-p.Get(0, 1), relative: true);
                break;
            case 'H': // CUP
            case 'f': // HVP
                ds.MoveRow(p.Get(0, 1) - 1);
                ds.MoveColumn(p.Get(1, 1) - 1);
                break;
            case 'd': // VPA
                ds.MoveRow(p.Get(0, 1) - 1);
                break;
            case 'G': // CHA
            case '`': // HPA
                ds.MoveColumn(p.Get(0, 1) - 1);
                break;
            case 'c': // DA
                AnswerHost("\e[?62c"u8); // a plain VT220
                break;
            case 'n': // DSR
                DeviceStatusReport(p.Get(0, 0));
                break;
            case 'J':
                EraseInDisplay(p.Get(0, 0));
                break;
            case 'K':
                EraseInLine(p.Get(0, 0));
                break;
            case 'X': // ECH
                _fb.ResetCells(ds.CursorRow, ds.CursorColumn, (int)Math.Min((long)ds.CursorColumn + p.Get(0, 1) - 1, ds.Width - 1));
                break;
            case '@': // ICH
                _fb.InsertCells(ds.CursorRow, ds.CursorColumn, p.Get(0, 1));
                break;
            case 'P': // DCH
                _fb.DeleteCells(ds.CursorRow, ds.CursorColumn, p.Get(0, 1));
                break;
            case 'L': // IL: like the VT220 (not xterm), the cursor goes to the first column
                _fb.InsertLines(ds.CursorRow, p.Get(0, 1));
                ds.MoveColumn(0);
                break;
            case 'M': // DL
                _fb.DeleteLines(ds.CursorRow, p.Get(0, 1));
                ds.MoveColumn(0);
                break;
            case 'S': // SU (terminfo indn): content moves up, cursor stays
                _fb.Scroll(p.Get(0, 1));
                break;
            case 'T': // SD (terminfo rin)
                _fb.Scroll(-p.Get(0, 1));
                break;
            case 'r':
                SetTopBottomMargins(p);
                break;
            case 'h': // SM
            case 'l': // RM
                SetAnsiModes(p, final == 'h');
                break;
            default:
                break;
        }
    }

    private void EraseInLine(int mode)
    {
        ref DrawState ds = ref _fb.State;
        switch (mode)
        {
            case 0: // cursor to end of line
                _fb.ResetCells(ds.CursorRow, ds.CursorColumn, ds.Width - 1);
                break;
            case 1: // start of line to cursor
                _fb.ResetCells(ds.CursorRow, 0, ds.CursorColumn);
                break;
            case 2:
                _fb.ResetRow(ds.CursorRow);
                break;
            default:
                break;
        }
    }

    private void EraseInDisplay(int mode)
    {
        ref DrawState ds = ref _fb.State;
        switch (mode)
        {
            case 0: // cursor to end of screen
                _fb.ResetCells(ds.CursorRow, ds.CursorColumn, ds.Width - 1);
                for (int y = ds.CursorRow + 1; y < ds.Height; y++)
                {
                    _fb.ResetRow(y);
                }

                break;
            case 1: // start of screen to cursor
                for (int y = 0; y < ds.CursorRow; y++)
                {
                    _fb.ResetRow(y);
                }

                _fb.ResetCells(ds.CursorRow, 0, ds.CursorColumn);
                break;
            case 2:
                ClearScreen();
                break;
            default:
                break;
        }
    }

    private void ClearScreen()
    {
        for (int y = 0; y < _fb.Height; y++)
        {
            _fb.ResetRow(y);
        }
    }

    private void TabClear(int mode)
    {
        ref DrawState ds = ref _fb.State;
        if (mode == 0)
        {
            ds.ClearTab(ds.CursorColumn);
        }
        else if (mode == 3)
        {
            ds.ClearAllTabs();
        }
    }

    /// <summary>DECSTBM: invalid regions are ignored (as xterm); a valid one homes the cursor.</summary>
    private void SetTopBottomMargins(CsiParams p)
    {
        ref DrawState ds = ref _fb.State;
        int top = p.Get(0, 1);
        int bottom = p.Get(1, ds.Height);
        if (bottom <= top || top > ds.Height)
        {
            return;
        }

        ds.SetScrollingRegion(top - 1, bottom - 1);
        ds.MoveRow(0);
        ds.MoveColumn(0);
    }

    private void DeviceStatusReport(int request)
    {
        if (request == 5)
        {
            AnswerHost("\e[0n"u8);
        }
        else if (request == 6)
        {
            // Cursor position report, absolute (not relative to the origin), as upstream.
            Span<byte> report = stackalloc byte[32];
            int n = 0;
            report[n++] = 0x1B;
            report[n++] = (byte)'[';
            (_fb.State.CursorRow + 1).TryFormat(report[n..], out int written, default, System.Globalization.CultureInfo.InvariantCulture);
            n += written;
            report[n++] = (byte)';';
            (_fb.State.CursorColumn + 1).TryFormat(report[n..], out written, default, System.Globalization.CultureInfo.InvariantCulture);
            n += written;
            report[n++] = (byte)'R';
            AnswerHost(report[..n]);
        }
    }

    private void AnswerHost(ReadOnlySpan<byte> answer) => AppendToHost(answer, isAnswer: true);
}
