using Mosh.Terminal;

namespace Mosh.Prediction;

// Judging predictions against the server's frame, and the adaptive-display triggers.
internal sealed partial class PredictionEngine
{
    /// <summary>
    /// Confirms or refutes predictions against <paramref name="serverFrame"/> (the server's latest frame,
    /// without overlays) and updates the display triggers. Call before <see cref="Apply"/> each frame. A
    /// size change resets the engine.
    /// </summary>
    public void Cull(Framebuffer serverFrame, long nowMs)
    {
        if (Preference == DisplayPreference.Never)
        {
            return;
        }

        if (_lastHeight != serverFrame.Height || _lastWidth != serverFrame.Width)
        {
            _lastHeight = serverFrame.Height;
            _lastWidth = serverFrame.Width;
            Reset();
            bool lineStart = _lastOtherKeyWasCarriageReturn;
            NoteOtherKey(); // keys in flight cannot be placed again on a resized screen
            _lastOtherKeyWasCarriageReturn = lineStart;
        }

        UpdateTriggers();
        JudgePredictions(serverFrame, nowMs);
        TryPlaceNewLine(serverFrame, nowMs, keyComing: false);
        if (_resynchronise)
        {
            Resynchronise(serverFrame, nowMs);
        }
    }

    /// <summary>Judges every cell and cursor prediction against the server's frame.</summary>
    private void JudgePredictions(Framebuffer serverFrame, long nowMs)
    {
        for (int r = 0; r < _rows.Count; r++)
        {
            PredictedRow row = _rows[r];
            if (row.RowNumber < 0 || row.RowNumber >= serverFrame.Height)
            {
                _rows.RemoveAt(r--);
                _spareRows.Push(row);
                continue;
            }

            if (!CullRow(row, serverFrame, nowMs))
            {
                return; // everything was reset
            }
        }

        if (_cursorCount > 0 && CursorValidity(Cursor, serverFrame) == Validity.IncorrectOrExpired)
        {
            if (Preference == DisplayPreference.Experimental)
            {
                _cursorCount = 0;
            }
            else
            {
                Reset();
                _resynchronise = true;
                return;
            }
        }

        int kept = 0;
        for (int i = 0; i < _cursorCount; i++)
        {
            if (CursorValidity(_cursors[i], serverFrame) == Validity.Pending)
            {
                _cursors[kept++] = _cursors[i];
            }
        }

        _cursorCount = kept;
    }

    private void UpdateTriggers()
    {
        if (_sendInterval > PredictionConstants.SrttTriggerHigh)
        {
            _srttTrigger = true;
        }
        else if (_srttTrigger && _sendInterval <= PredictionConstants.SrttTriggerLow && !HasPredictions)
        {
            _srttTrigger = false; // only when nothing predicted is on screen
        }

        if (_sendInterval > PredictionConstants.FlagTriggerHigh)
        {
            _flagging = true;
        }
        else if (_sendInterval <= PredictionConstants.FlagTriggerLow)
        {
            _flagging = false;
        }

        if (_glitchTrigger > PredictionConstants.GlitchRepairCount)
        {
            _flagging = true; // really big glitches underline too
        }
    }

    /// <summary>Judges one row's cells. Returns false when a wrong confirmed prediction reset the engine.</summary>
    private bool CullRow(PredictedRow row, Framebuffer fb, long now)
    {
        // A cell ahead of the ack can only be judged on the row the server's cursor is on (JudgeAheadOfAck): on
        // every other row it stays pending, which a screenful of predictions would otherwise ask cell by cell.
        bool cursorRow = row.RowNumber < fb.Height && fb.State.CursorRow == row.RowNumber;
        int width = fb.Width;
        ulong frameLateAcked = _frameLateAcked; // the judging below never changes it
        if (!cursorRow && row.Width <= width && JudgesSettledRowsWhole)
        {
            // Every active cell still waits for its echo: all that judging each would do is note their age.
            PredictedRowSummary summary = row.Summary;
            if (frameLateAcked < summary.EarliestExpirationFrame)
            {
                if (summary.ActiveCells > 0)
                {
                    NotePendingAge(now - summary.OldestPredictionTime);
                }

                return true;
            }
        }

        Span<PredictedCell> cells = row.Cells;
        for (int col = 0; col < cells.Length; col++)
        {
            ref PredictedCell cell = ref cells[col];
            if (!cell.Active)
            {
                continue;
            }

            // Most cells are waiting for their echo: judge those without the full validity check.
            Validity validity = frameLateAcked < cell.ExpirationFrame && col < width
                ? (cursorRow ? JudgeAheadOfAck(row, col, fb) : Validity.Pending)
                : CellValidity(row, col, fb);
            switch (validity)
            {
                case Validity.IncorrectOrExpired:
                    if (Preference == DisplayPreference.Experimental)
                    {
                        row.Clear(col);
                    }
                    else if (cell.IsTentative(_confirmedEpoch))
                    {
                        KillEpoch(cell.TentativeUntilEpoch, fb);
                        _resynchronise = true;
                    }
                    else
                    {
                        Reset();
                        _resynchronise = true;
                        return false;
                    }

                    break;
                case Validity.Correct:
                    if (cell.TentativeUntilEpoch > _confirmedEpoch)
                    {
                        _confirmedEpoch = cell.TentativeUntilEpoch;
                    }

                    NoteConfirmed(cell.TentativeUntilEpoch, row.RowNumber, col, fb);

                    // Quick confirmations slowly take the glitch trigger away.
                    if (now - cell.PredictionTime < PredictionConstants.GlitchThreshold && _glitchTrigger > 0
                        && now - PredictionConstants.GlitchRepairMinInterval >= _lastQuickConfirmation)
                    {
                        _glitchTrigger--;
                        _lastQuickConfirmation = now;
                    }

                    // The rest of the row takes the renditions the server actually used.
                    Renditions actual = fb.GetCell(row.RowNumber, col).Renditions;
                    for (int k = col; k < cells.Length; k++)
                    {
                        cells[k].Replacement.SetRenditions(actual);
                    }

                    row.Clear(col);
                    break;
                case Validity.CorrectNoCredit:
                    row.Clear(col);
                    break;
                case Validity.Pending:
                    NotePendingAge(now - cell.PredictionTime);
                    break;
            }
        }

        return true;
    }

    /// <summary>
    /// A prediction still waiting after <paramref name="age"/> ms raises the glitch trigger. Noting several ages comes
    /// to the same as noting the largest alone, which lets a row of waiting cells be judged by its oldest.
    /// </summary>
    private void NotePendingAge(long age)
    {
        if (age >= PredictionConstants.GlitchFlagThreshold)
        {
            _glitchTrigger = PredictionConstants.GlitchRepairCount * 2; // display and underline
        }
        else if (age >= PredictionConstants.GlitchThreshold && _glitchTrigger < PredictionConstants.GlitchRepairCount)
        {
            _glitchTrigger = PredictionConstants.GlitchRepairCount; // just display
        }
    }

    /// <summary>
    /// Looks at a cell whose keystroke the echo ack does not cover yet, once the server holds the keystroke and its
    /// cursor sits right after the cell: the application has written there. If the cell shows the predicted
    /// character (which it did not before), that echo confirms the cell's epoch, so a tentative epoch shows at once;
    /// if it shows another character (which it did not before), the guess is wrong now. The ack trails the echo
    /// (upstream's server acks 50 ms after a key arrives and sends that a frame interval later, half a round trip
    /// at 300 ms), so waiting for it would hide the keys typed meanwhile, or leave a wrong guess up, that much
    /// longer. Returns <see cref="Validity.IncorrectOrExpired"/> for a wrong guess, else <see cref="Validity.Pending"/>:
    /// the ack still judges every cell.
    /// </summary>
    private Validity JudgeAheadOfAck(PredictedRow row, int col, Framebuffer fb)
    {
        ref readonly PredictedCell cell = ref row.ReadOnlyCells[col];
        if (Preference == DisplayPreference.Experimental || LocalFrameAcked < cell.ExpirationFrame
            || cell.Unknown || cell.Replacement.IsBlank || row.RowNumber >= fb.Height
            || fb.State.CursorRow != row.RowNumber || fb.State.CursorColumn != col + cell.Replacement.Width)
        {
            return Validity.Pending;
        }

        Row actualRow = fb.GetRow(row.RowNumber);
        if (OverlayCells.ContentsMatch(cell.Replacement, actualRow, col))
        {
            if (cell.IsTentative(_confirmedEpoch) && !row.WasOriginally(col, cell.Replacement))
            {
                _confirmedEpoch = cell.TentativeUntilEpoch;
                NoteConfirmed(cell.TentativeUntilEpoch, row.RowNumber, col, fb);
            }

            return Validity.Pending;
        }

        ref readonly Cell actual = ref actualRow[col];
        if (actual.IsBlank || (actual.Flags & CellFlags.Overflow) != 0 || row.WasOriginally(col, actual))
        {
            return Validity.Pending;
        }

        // The server has processed this keystroke: keys placed again from its screen start after it.
        _processedAheadOfAck = Math.Max(_processedAheadOfAck, cell.ExpirationFrame);
        return Validity.IncorrectOrExpired;
    }

    private Validity CellValidity(PredictedRow row, int col, Framebuffer fb)
    {
        ref readonly PredictedCell cell = ref row.ReadOnlyCells[col];
        if (!cell.Active)
        {
            return Validity.Inactive;
        }

        if (row.RowNumber >= fb.Height || col >= fb.Width)
        {
            return Validity.IncorrectOrExpired;
        }

        if (_frameLateAcked < cell.ExpirationFrame)
        {
            return Validity.Pending;
        }

        if (cell.Unknown || cell.Replacement.IsBlank)
        {
            return Validity.CorrectNoCredit; // a blank is too easy to match by accident
        }

        if (OverlayCells.ContentsMatch(cell.Replacement, fb.GetRow(row.RowNumber), col))
        {
            return row.WasOriginally(col, cell.Replacement) ? Validity.CorrectNoCredit : Validity.Correct;
        }

        return Validity.IncorrectOrExpired;
    }

    private Validity CursorValidity(in CursorPrediction cursor, Framebuffer fb)
    {
        if (cursor.Row >= fb.Height || cursor.Column >= fb.Width)
        {
            return Validity.IncorrectOrExpired;
        }

        if (_frameLateAcked >= cursor.ExpirationFrame)
        {
            return fb.State.CursorRow == cursor.Row && fb.State.CursorColumn == cursor.Column
                ? Validity.Correct
                : Validity.IncorrectOrExpired;
        }

        return Validity.Pending;
    }
}
