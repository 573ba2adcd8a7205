namespace Mosh.Terminal;

// SM/RM (ANSI modes) and DECSET/DECRST (DEC private modes).
internal sealed partial class Emulator
{
    private void SetAnsiModes(CsiParams p, bool value)
    {
        for (int i = 0; i < p.Count; i++)
        {
            if (p.Get(i, 0) == 4)
            {
                _fb.State.InsertMode = value; // IRM is the only ANSI mode
            }
        }
    }

    private void SwitchScreen(bool alternate, bool clearOnEntry, bool clearOnExit)
    {
        if (alternate)
        {
            _fb.EnterAlternateScreen(clearOnEntry);
        }
        else
        {
            _fb.LeaveAlternateScreen(clearOnExit);
        }
    }

    private void SaveOrRestoreCursor(bool save)
    {
        if (save)
        {
            _fb.State.SaveCursor();
        }
        else
        {
            _fb.State.RestoreCursor();
        }
    }

    private void SetDecModes(CsiParams p, bool value)
    {
        ref DrawState ds = ref _fb.State;
        for (int i = 0; i < p.Count; i++)
        {
            int mode = p.Get(i, 0);
            switch (mode)
            {
                case 9 or (>= 1000 and <= 1003):
                    ds.MouseReportingMode = value ? (MouseReportingMode)mode : MouseReportingMode.None;
                    break;
                case 1005 or 1006 or 1015:
                    ds.MouseEncodingMode = value ? (MouseEncodingMode)mode : MouseEncodingMode.Default;
                    break;
                case 1: // DECCKM
                    ds.ApplicationModeCursorKeys = value;
                    break;
                case 3: // DECCOLM: the width is the user's, but the screen is cleared and the cursor homed
                    ds.MoveRow(0);
                    ds.MoveColumn(0);
                    ClearScreen();
                    break;
                case 5: // DECSCNM
                    ds.ReverseVideo = value;
                    break;
                case 6: // DECOM: homes the cursor (to the region top when turning on)
                    ds.OriginMode = value;
                    ds.MoveRow(0);
                    ds.MoveColumn(0);
                    break;
                case 7: // DECAWM
                    ds.AutoWrapMode = value;
                    break;
                case 25: // DECTCEM
                    ds.CursorVisible = value;
                    break;
                case 1004:
                    ds.MouseFocusEvent = value;
                    break;
                case 1007:
                    ds.MouseAlternateScroll = value;
                    break;
                case 2004:
                    ds.BracketedPaste = value;
                    break;
                case 47: // the alternate screen as xterm: 47 keeps both buffers as they are
                    SwitchScreen(value, clearOnEntry: false, clearOnExit: false);
                    break;
                case 1047: // ... 1047 clears the alternate screen when leaving it
                    SwitchScreen(value, clearOnEntry: false, clearOnExit: true);
                    break;
                case 1048:
                    SaveOrRestoreCursor(value);
                    break;
                case 1049: // ... 1049 saves the cursor, then clears the alternate screen on entry; restores on exit
                    if (value)
                    {
                        ds.SaveCursor();
                    }

                    SwitchScreen(value, clearOnEntry: true, clearOnExit: false);
                    if (!value)
                    {
                        _fb.State.RestoreCursor();
                    }

                    break;
                default:
                    break; // cursor blink, charsets etc. are not emulated (as upstream)
            }
        }
    }
}
