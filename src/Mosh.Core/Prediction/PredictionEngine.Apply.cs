using Mosh.Terminal;

namespace Mosh.Prediction;

// Drawing predictions over a frame.
internal sealed partial class PredictionEngine
{
    /// <summary>
    /// Paints the shown predictions (cursor moves, then cells; underlined while flagging) onto
    /// <paramref name="frame"/>, a copy of the server's latest frame the client is about to display. Draw other
    /// overlays (the notification bar) afterwards, so they cover predictions on their rows and see the
    /// predicted cursor. Does nothing unless <see cref="IsShowing"/>; tentative predictions are never drawn.
    /// </summary>
    public void Apply(Framebuffer frame)
    {
        if (!IsShowing)
        {
            return;
        }

        for (int i = 0; i < _cursorCount; i++)
        {
            ref readonly CursorPrediction cursor = ref _cursors[i];
            if (cursor.IsTentative(_confirmedEpoch) || cursor.Row >= frame.Height || cursor.Column >= frame.Width)
            {
                continue;
            }

            frame.State.MoveRow(cursor.Row - frame.State.LimitTop);
            frame.State.MoveColumn(cursor.Column);
        }

        foreach (PredictedRow row in _rows)
        {
            if (row.RowNumber < frame.Height)
            {
                ApplyRow(row, frame);
            }
        }
    }

    private void ApplyRow(PredictedRow row, Framebuffer frame)
    {
        if (JudgesSettledRowsWhole && row.Summary.EarliestTentativeUntilEpoch > _confirmedEpoch)
        {
            return; // every active cell is tentative (or there is none): nothing to draw
        }

        ReadOnlySpan<PredictedCell> cells = row.ReadOnlyCells;
        int width = Math.Min(cells.Length, frame.Width);
        Row? target = null;
        for (int col = 0; col < width; col++)
        {
            ref readonly PredictedCell cell = ref cells[col];
            if (!cell.Active || cell.IsTentative(_confirmedEpoch))
            {
                continue;
            }

            Row actual = target ?? frame.GetRow(row.RowNumber);
            bool flag = _flagging && !(cell.Replacement.IsBlank && actual[col].IsBlank);
            if (cell.Unknown)
            {
                if (flag && col != frame.Width - 1)
                {
                    target ??= frame.GetMutableRow(row.RowNumber);
                    OverlayCells.Underline(target, col);
                }

                continue;
            }

            if (!OverlayCells.Equal(cell.Replacement, actual, col))
            {
                target ??= frame.GetMutableRow(row.RowNumber);
                OverlayCells.Write(target, col, cell.Replacement);
                if (flag)
                {
                    OverlayCells.Underline(target, col);
                }
            }
        }
    }
}
