using Mosh.Terminal;

namespace Mosh.Prediction;

/// <summary>
/// Speculative local echo (upstream's PredictionEngine overlay): guesses what the user's keystrokes will do
/// to the screen, draws those guesses over the server's latest frame, and checks them against later frames.
/// </summary>
/// <remarks>
/// <para>Predictions belong to epochs. A keystroke whose effect we cannot guess (a control key, an escape
/// sequence other than the arrows, CR) starts a new epoch, and predictions of an unconfirmed epoch are
/// tentative: kept but not drawn until one of them is confirmed by the server's screen. The first epoch
/// starts unconfirmed, so nothing is drawn until the server has echoed something we predicted (typing at a
/// password prompt never shows).</para>
/// <para>A prediction is judged once the server has processed the keystroke: when the echo ack the server
/// reports (<see cref="SetLocalFrameLateAcked"/>) reaches the user frame that carried it. A wrong tentative
/// prediction kills its epoch; a wrong confirmed one resets everything, so what is drawn is repaired by the
/// next frame.</para>
/// <para>Per frame the client calls <see cref="Cull"/> with the server's frame, copies that frame, calls
/// <see cref="Apply"/> on the copy, then draws other overlays (the notification bar) over it. Allocation-free
/// once its rows and lists have grown. Not thread-safe.</para>
/// </remarks>
internal sealed partial class PredictionEngine
{
    /// <summary>Bound on outstanding cursor predictions (one per epoch change while the server is silent).</summary>
    internal const int MaxCursorPredictions = 256;

    private readonly List<PredictedRow> _rows = [];
    private readonly Stack<PredictedRow> _spareRows = new();
    private CursorPrediction[] _cursors = new CursorPrediction[8];
    private int _cursorCount;

    private ulong _frameSent;
    private ulong _frameLateAcked;

    private ulong _predictionEpoch = 1;
    private ulong _confirmedEpoch;

    private bool _flagging;
    private bool _srttTrigger;
    private int _glitchTrigger;
    private long _lastQuickConfirmation;

    private int _sendInterval = 250;
    private int _lastWidth;
    private int _lastHeight;

    public PredictionEngine(DisplayPreference preference = DisplayPreference.Adaptive, bool predictOverwrite = false)
    {
        Preference = preference;
        PredictOverwrite = predictOverwrite;
    }

    /// <summary>When predictions are drawn.</summary>
    public DisplayPreference Preference { get; set; }

    /// <summary>
    /// Whether rows off the cursor whose active cells all wait for their echo (or are all tentative) are judged
    /// (or skipped when drawing) from their <see cref="PredictedRowSummary"/> instead of cell by cell. Always on;
    /// tests turn it off to check that both ways give the same screens.
    /// </summary>
    internal bool JudgesSettledRowsWhole { get; init; } = true;

    /// <summary>Typing and backspace overwrite the cell under the cursor instead of shifting the rest of the row.</summary>
    public bool PredictOverwrite { get; set; }

    /// <summary>Whether predictions would be drawn now (upstream's display rule).</summary>
    public bool IsShowing =>
        Preference != DisplayPreference.Never
        && (_srttTrigger || _glitchTrigger > 0 || Preference is DisplayPreference.Always or DisplayPreference.Experimental);

    /// <summary>Whether drawn predictions are underlined (the link is slow or a big glitch happened).</summary>
    public bool IsFlagging => _flagging;

    /// <summary>Whether any cell or cursor prediction is outstanding.</summary>
    public bool HasPredictions
    {
        get
        {
            if (_cursorCount > 0)
            {
                return true;
            }

            foreach (PredictedRow row in _rows)
            {
                if (row.HasActive())
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>Outstanding cursor predictions (bounded by <see cref="MaxCursorPredictions"/>).</summary>
    internal int CursorPredictionCount => _cursorCount;

    /// <summary>Number of the newest user-input frame sent (the transport's last sent state).</summary>
    public void SetLocalFrameSent(ulong frame) => _frameSent = frame;

    /// <summary>
    /// Number of the newest user-input frame the server acknowledged receiving. Upstream passes it along but
    /// judges predictions by the echo ack alone (<see cref="SetLocalFrameLateAcked"/>); so do we.
    /// </summary>
    public void SetLocalFrameAcked(ulong frame) => LocalFrameAcked = frame;

    /// <summary>The last value given to <see cref="SetLocalFrameAcked"/>.</summary>
    public ulong LocalFrameAcked { get; private set; }

    /// <summary>The server's echo ack: the newest user-input frame whose effect its screen already shows.</summary>
    public void SetLocalFrameLateAcked(ulong frame) => _frameLateAcked = frame;

    /// <summary>The transport's send interval (ceil(SRTT/2) clamped to 20..250 ms), which drives adaptive display.</summary>
    public void SetSendInterval(int milliseconds) => _sendInterval = milliseconds;

    /// <summary>
    /// Milliseconds until the engine wants another <see cref="Cull"/> (timing triggers still to fire while
    /// predictions are outstanding), or <see cref="int.MaxValue"/>.
    /// </summary>
    public int WaitTime()
    {
        bool timingTestsNecessary = !(_glitchTrigger > 0 && _flagging);
        return timingTestsNecessary && HasPredictions ? PredictionConstants.TimingTestIntervalMs : int.MaxValue;
    }

    /// <summary>Drops every prediction (resize, paste, a wrong confirmed prediction); later ones start tentative.</summary>
    public void Reset()
    {
        _cursorCount = 0;
        foreach (PredictedRow row in _rows)
        {
            _spareRows.Push(row);
        }

        _rows.Clear();
        BecomeTentative();
    }

    private void BecomeTentative()
    {
        if (Preference != DisplayPreference.Experimental)
        {
            _predictionEpoch++;
        }
    }

    private ref CursorPrediction Cursor => ref _cursors[_cursorCount - 1];

    private void PushCursor(in CursorPrediction cursor)
    {
        if (_cursorCount == MaxCursorPredictions)
        {
            // Typing with no server reply for a long time: forget the oldest epoch's cursor (upstream's list
            // grows without bound; only the newest ones matter for display and judgement).
            _cursors.AsSpan(1, _cursorCount - 1).CopyTo(_cursors);
            _cursorCount--;
        }
        else if (_cursorCount == _cursors.Length)
        {
            Array.Resize(ref _cursors, Math.Min(_cursors.Length * 2, MaxCursorPredictions));
        }

        _cursors[_cursorCount++] = cursor;
    }

    /// <summary>Starts a cursor prediction for the current epoch (at the screen's cursor, or where the last one ended).</summary>
    private void InitCursor(Framebuffer fb)
    {
        if (_cursorCount == 0)
        {
            PushCursor(new CursorPrediction(_frameSent + 1, fb.State.CursorRow, fb.State.CursorColumn, _predictionEpoch));
        }
        else if (Cursor.TentativeUntilEpoch != _predictionEpoch)
        {
            PushCursor(new CursorPrediction(_frameSent + 1, Cursor.Row, Cursor.Column, _predictionEpoch));
        }
    }

    private PredictedRow GetOrMakeRow(int rowNumber, int width)
    {
        foreach (PredictedRow existing in _rows)
        {
            if (existing.RowNumber == rowNumber)
            {
                return existing;
            }
        }

        PredictedRow row = _spareRows.Count > 0 ? _spareRows.Pop() : new PredictedRow();
        row.Initialize(rowNumber, width, _predictionEpoch);
        _rows.Add(row);
        return row;
    }

    /// <summary>Removes tentative predictions of <paramref name="epoch"/> and later, and starts a new epoch at the screen's cursor.</summary>
    private void KillEpoch(ulong epoch, Framebuffer fb)
    {
        int kept = 0;
        for (int i = 0; i < _cursorCount; i++)
        {
            if (!_cursors[i].IsTentative(epoch - 1))
            {
                _cursors[kept++] = _cursors[i];
            }
        }

        _cursorCount = kept;
        PushCursor(new CursorPrediction(_frameSent + 1, fb.State.CursorRow, fb.State.CursorColumn, _predictionEpoch));

        foreach (PredictedRow row in _rows)
        {
            Span<PredictedCell> cells = row.Cells;
            for (int col = 0; col < cells.Length; col++)
            {
                if (cells[col].IsTentative(epoch - 1))
                {
                    row.Clear(col);
                }
            }
        }

        BecomeTentative();
    }
}
