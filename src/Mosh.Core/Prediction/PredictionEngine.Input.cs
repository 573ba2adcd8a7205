using Mosh.Terminal;

namespace Mosh.Prediction;

// Turning keystrokes into predictions.
internal sealed partial class PredictionEngine
{
    private readonly AnsiParser _parser = new();
    private byte _lastByte;

    // Where the last predicted character went, so a combining mark typed next can join it (-1: none).
    private int _graphemeRow = -1;
    private int _graphemeColumn = -1;

    /// <summary>
    /// Predicts the effect of keystrokes read from the user's terminal in one chunk. <paramref name="serverFrame"/>
    /// is the server's latest frame (without overlays). Multi-byte characters and escape sequences may be split
    /// across calls. Chunks longer than <see cref="PredictionConstants.PasteThreshold"/> bytes are a paste:
    /// everything is reset and nothing predicted. Call <see cref="SetLocalFrameSent"/> first.
    /// </summary>
    public void NewUserInput(ReadOnlySpan<byte> keystrokes, Framebuffer serverFrame, long nowMs)
    {
        if (Preference == DisplayPreference.Never)
        {
            return;
        }

        if (keystrokes.Length > PredictionConstants.PasteThreshold)
        {
            Reset();
            NoteOtherKey();
            _parser.Reset();
            _lastByte = 0;
            _graphemeRow = -1;
            return;
        }

        var handler = new InputHandler(this, serverFrame, nowMs);
        foreach (byte key in keystrokes)
        {
            if (Preference == DisplayPreference.Experimental)
            {
                _predictionEpoch = _confirmedEpoch;
            }

            Cull(serverFrame, nowMs);
            TryPlaceNewLine(serverFrame, nowMs, keyComing: true);

            // The client's terminal sends application-mode cursor keys (ESC O C); read them as ESC [ C.
            byte value = _lastByte == 0x1B && key == (byte)'O' ? (byte)'[' : key;
            _lastByte = value;
            _parser.Feed(new ReadOnlySpan<byte>(in value), ref handler);
        }
    }

    /// <summary>The keystroke just handled travels in the frame after the last one sent.</summary>
    private void NoteKeyFrame() => _lastKeyFrame = _frameSent + 1;

    private void PredictPrint(int ch, Framebuffer fb, long now)
    {
        InitCursor(fb);
        if (Cursor.Row >= fb.Height || Cursor.Column >= fb.Width)
        {
            BecomeTentative();
            return;
        }

        if (ch == 0x7F)
        {
            _graphemeRow = -1;
            PredictBackspace(fb, now);
            return;
        }

        int width = Emulator.WidthOf(ch);
        if (width == 0 && TryPredictCombining(ch, fb, now))
        {
            return;
        }

        _graphemeRow = -1;
        if (width is 1 or 2 && Cursor.Column + width <= fb.Width)
        {
            NoteEpochStart(fb);
            PredictCharacter(ch, width, fb, now);
        }
        else
        {
            BecomeTentative(); // unprintable, an unplaceable mark, or a wide character that does not fit
        }
    }

    private void PredictCharacter(int ch, int width, Framebuffer fb, long now)
    {
        int cursorRow = Cursor.Row;
        int col = Cursor.Column;
        Row actualRow = fb.GetRow(cursorRow);
        PredictedRow row = GetOrMakeRow(cursorRow, fb.Width);
        Span<PredictedCell> cells = row.Cells;
        int lastColumn = fb.Width - 1;

        if (col + width > lastColumn)
        {
            BecomeTentative(); // the last column is tricky: editors show a wrap mark, shells just print
        }

        if (PredictOverwrite)
        {
            // The right half of a wide character blanks the cell it lands on.
            for (int i = col + 1; i < col + width; i++)
            {
                Predict(row, i, fb, now, unknown: false);
                cells[i].Replacement = Cell.Blank(fb.State.Renditions.Background);
            }
        }
        else
        {
            // Shift the rest of the row right; cells arriving at the edge are unknown.
            for (int i = lastColumn; i >= col + width; i--)
            {
                int from = i - width;
                ref PredictedCell source = ref cells[from];
                bool unknown = i == lastColumn || (source.Active ? source.Unknown : !OverlayCells.IsInline(actualRow[from]));
                Cell shifted = source.Active ? source.Replacement : actualRow[from];
                Predict(row, i, fb, now, unknown);
                if (!unknown)
                {
                    cells[i].Replacement = shifted;
                }
            }

            for (int i = col + 1; i < col + width; i++)
            {
                Predict(row, i, fb, now, unknown: false);
                cells[i].Replacement = Cell.Blank(fb.State.Renditions.Background);
            }
        }

        // Heuristic: the new character looks like the one to its left.
        Renditions renditions = fb.State.Renditions;
        if (col > 0)
        {
            ref PredictedCell left = ref cells[col - 1];
            renditions = left.Active && !left.Unknown ? left.Replacement.Renditions : actualRow[col - 1].Renditions;
        }

        row.ClearKeepingReplacement(col);
        ref PredictedCell cell = ref cells[col];
        cell.Active = true;
        cell.TentativeUntilEpoch = _predictionEpoch;
        cell.Expire(_frameSent, now);
        cell.Replacement = OverlayCells.Character(ch, renditions, width == 2);
        row.AddOriginal(col, actualRow[col]);
        _graphemeRow = cursorRow;
        _graphemeColumn = col;

        Cursor.Expire(_frameSent);
        if (col + width <= lastColumn)
        {
            Cursor.Column = col + width;
        }
        else
        {
            BecomeTentative();
            NewlineCarriageReturn(fb, now);
        }
    }

    /// <summary>(Re)makes the prediction in a column, remembering what the screen shows there now.</summary>
    private void Predict(PredictedRow row, int col, Framebuffer fb, long now, bool unknown)
    {
        row.ClearKeepingReplacement(col);
        ref PredictedCell cell = ref row.Cells[col];
        cell.Active = true;
        cell.Unknown = unknown;
        cell.TentativeUntilEpoch = _predictionEpoch;
        cell.Expire(_frameSent, now);
        row.AddOriginal(col, fb.GetCell(row.RowNumber, col));
    }

    /// <summary>A combining mark joins the character just predicted, if there is one and it has room.</summary>
    private bool TryPredictCombining(int ch, Framebuffer fb, long now)
    {
        if (_graphemeRow != Cursor.Row || _graphemeRow >= fb.Height)
        {
            return false;
        }

        PredictedRow row = GetOrMakeRow(_graphemeRow, fb.Width);
        ref PredictedCell cell = ref row.Cells[_graphemeColumn];
        if (!cell.Active || cell.Unknown || cell.TentativeUntilEpoch != _predictionEpoch
            || Cursor.Column != _graphemeColumn + cell.Replacement.Width
            || !OverlayCells.TryAppend(ref cell.Replacement, ch))
        {
            return false;
        }

        cell.Expire(_frameSent, now);
        Cursor.Expire(_frameSent);
        return true;
    }

    private void PredictBackspace(Framebuffer fb, long now)
    {
        if (Cursor.Column == 0)
        {
            return;
        }

        int cursorRow = Cursor.Row;
        PredictedRow row = GetOrMakeRow(cursorRow, fb.Width);
        Span<PredictedCell> cells = row.Cells;
        Row actualRow = fb.GetRow(cursorRow);
        Cursor.Column--;
        Cursor.Expire(_frameSent);
        int col = Cursor.Column;

        if (PredictOverwrite)
        {
            Predict(row, col, fb, now, unknown: false);
            cells[col].Replacement = OverlayCells.Character(' ', actualRow[col].Renditions, wide: false);
            return;
        }

        // Shift the rest of the row left; the last cells become unknown.
        int width = fb.Width;
        for (int i = col; i < width; i++)
        {
            bool unknown = i + 2 >= width;
            Cell next = default;
            if (!unknown)
            {
                ref PredictedCell source = ref cells[i + 1];
                unknown = source.Active ? source.Unknown : !OverlayCells.IsInline(actualRow[i + 1]);
                next = source.Active ? source.Replacement : actualRow[i + 1];
            }

            Predict(row, i, fb, now, unknown);
            if (!unknown)
            {
                cells[i].Replacement = next;
            }
        }
    }

    /// <summary>CR (and typing past the last column): the cursor goes to the start of the next row, tentatively.</summary>
    private void NewlineCarriageReturn(Framebuffer fb, long now)
    {
        InitCursor(fb);
        Cursor.Column = 0;
        if (Cursor.Row == fb.Height - 1)
        {
            // Scrolling is not predicted; predict a blank bottom row instead.
            PredictedRow row = GetOrMakeRow(Cursor.Row, fb.Width);
            Span<PredictedCell> cells = row.Cells;
            for (int i = 0; i < cells.Length; i++)
            {
                ref PredictedCell cell = ref cells[i];
                cell.Active = true;
                cell.TentativeUntilEpoch = _predictionEpoch;
                cell.Expire(_frameSent, now);
                OverlayCells.ClearText(ref cell.Replacement);
            }
        }
        else
        {
            Cursor.Row++;
        }
    }

    private void PredictExecute(int control, Framebuffer fb, long now)
    {
        _graphemeRow = -1;
        BecomeTentative();
        if (control == 0x0D)
        {
            int fromRow = Math.Max(_cursorCount > 0 ? Cursor.Row : 0, fb.State.CursorRow);
            NewlineCarriageReturn(fb, now);
            NoteCarriageReturn(Cursor.Row, fromRow);
        }
        else
        {
            NoteOtherKey();
        }
    }

    private void PredictCsi(int final, Framebuffer fb)
    {
        _graphemeRow = -1;
        NoteOtherKey();
        if (final == 'C')
        {
            InitCursor(fb);
            if (Cursor.Column < fb.Width - 1)
            {
                Cursor.Column++;
                Cursor.Expire(_frameSent);
            }
        }
        else if (final == 'D')
        {
            InitCursor(fb);
            if (Cursor.Column > 0)
            {
                Cursor.Column--;
                Cursor.Expire(_frameSent);
            }
        }
        else
        {
            BecomeTentative();
        }
    }

    private void PredictUnknown()
    {
        _graphemeRow = -1;
        NoteOtherKey();
        BecomeTentative();
    }

    /// <summary>Parser actions of the user's keystrokes, forwarded to the engine.</summary>
    private readonly struct InputHandler(PredictionEngine engine, Framebuffer fb, long now) : IParserHandler
    {
        public void Print(int codePoint)
        {
            engine.NotePrintable(codePoint);
            engine.PredictPrint(codePoint, fb, now);
            engine.NoteKeyFrame();
        }

        public void PrintAscii(ReadOnlySpan<byte> text)
        {
            foreach (byte b in text)
            {
                Print(b);
            }
        }

        public void Execute(int control)
        {
            engine.PredictExecute(control, fb, now);
            engine.NoteKeyFrame();
        }

        public int TakeLines(ReadOnlySpan<byte> following) => 0;

        public void EscDispatch(ReadOnlySpan<byte> intermediates, int final)
        {
            engine.PredictUnknown();
            engine.NoteKeyFrame();
        }

        public void CsiDispatch(CsiParams parameters, ReadOnlySpan<byte> intermediates, int final)
        {
            engine.PredictCsi(final, fb);
            engine.NoteKeyFrame();
        }

        public void SelectGraphicRendition(ReadOnlySpan<int> parameters)
        {
            engine.PredictCsi('m', fb);
            engine.NoteKeyFrame();
        }

        public void DcsHook(CsiParams parameters, ReadOnlySpan<byte> intermediates, int final)
        {
            // Keys do not send device control strings; nothing to predict.
        }

        public void DcsPut(int codePoint)
        {
        }

        public void DcsUnhook()
        {
        }

        public void OscStart()
        {
        }

        public void OscPut(int codePoint)
        {
        }

        public void OscEnd()
        {
        }
    }
}
