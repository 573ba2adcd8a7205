using System.Text;
using Mosh.Terminal;

namespace Mosh.Prediction;

// Typing at the start of a new line. Upstream loses the first keys of every line: CR starts a tentative epoch,
// the server's prompt then refutes the predicted cursor, and the keys typed meanwhile are drawn nowhere (or from a
// stale cursor, killing epoch after epoch while typing goes on) until the server has echoed one of them. We learn
// the prompts at which typing was confirmed to echo; once the server has processed the CR and shows such a prompt
// at the cursor, followed by the keys it has already echoed, the keys still in flight are placed after them at
// once, in a confirmed epoch. A prompt never confirmed (a password prompt) keeps the old tentative behaviour.
internal sealed partial class PredictionEngine
{
    /// <summary>Plain characters remembered since the last other key, to be placed again after a resynchronisation.</summary>
    private const int MaxRecentKeys = 64;

    private readonly KnownPrompts _knownPrompts = new();
    private readonly int[] _recentKeys = new int[MaxRecentKeys];
    private readonly ulong[] _recentKeyFrames = new ulong[MaxRecentKeys];
    private int _recentKeyCount;

    // The frame of the newest key other than a plain character: keys before it cannot be replayed.
    private ulong _lastOtherKeyFrame;

    // That key was a CR (or nothing was typed yet): the plain characters after it begin a line. Only a line's first
    // character can teach a prompt, so text an application shows mid-way (vim's ":" command line after ":" was
    // typed) is never taken for a prompt at which the next line may show its typing at once.
    private bool _lastOtherKeyWasCarriageReturn = true;
    private bool _printableBeginsLine;

    // A CR whose new line is still to be placed: its user frame, the row the cursor was predicted to land on, and
    // the lowest row a screen not yet showing the CR's effect can have its cursor on.
    private bool _carriageReturnPending;
    private ulong _carriageReturnFrame;
    private int _carriageReturnRow;
    private int _carriageReturnFromRow;

    // A wrong guess dropped predictions while keys may still be in flight: place those again from the server's cursor.
    private bool _resynchronise;

    // The newest user frame the server's screen showed processed before the echo ack covered it (a wrong guess seen
    // ahead of the ack): its keys are not in flight any more.
    private ulong _processedAheadOfAck;

    // The frame that carried the newest keystroke, to know when the server's screen reflects every key typed.
    private ulong _lastKeyFrame;

    // Where the current epoch's first character went, when the server's screen then showed every earlier key
    // and had its cursor there: if the server confirms that character, the text left of it is a known prompt.
    private ulong _promptCandidateEpoch;
    private int _promptCandidateRow = -1;
    private int _promptCandidateColumn;

    // Where the first character after the last CR went on a screen that showed every earlier key, while nothing
    // but plain characters followed the CR (-1: none): keys an application takes there without echo (vim's "i")
    // may be followed by keys it echoes right there, which teach the prompt as well as a first key would.
    private int _lineStartRow = -1;
    private int _lineStartColumn;

    /// <summary>Texts left of the cursor at which typing was confirmed to echo.</summary>
    internal KnownPrompts KnownPrompts => _knownPrompts;

    /// <summary>A CR was typed: the keys after it are kept until the server shows where the new line starts.</summary>
    /// <param name="fromRow">The row the line was typed on, as predicted or as the server's screen has it, whichever is lower.</param>
    private void NoteCarriageReturn(int predictedRow, int fromRow)
    {
        NoteOtherKey();
        _lastOtherKeyWasCarriageReturn = true;
        _carriageReturnPending = true;
        _carriageReturnFrame = _frameSent + 1;
        _carriageReturnRow = predictedRow;
        _carriageReturnFromRow = fromRow;
    }

    /// <summary>A key other than a plain character: the keys before it can no longer be replayed.</summary>
    private void NoteOtherKey()
    {
        _lineStartRow = -1;
        _carriageReturnPending = false;
        _lastOtherKeyWasCarriageReturn = false;
        _recentKeyCount = 0;
        _lastOtherKeyFrame = _frameSent + 1;
    }

    /// <summary>A key typed by the user (not a replay) that the parser printed: remembered if it is a plain character.</summary>
    private void NotePrintable(int ch)
    {
        _printableBeginsLine = _lastOtherKeyWasCarriageReturn && _recentKeyCount == 0;
        if (ch == 0x7F || Emulator.WidthOf(ch) != 1)
        {
            NoteOtherKey();
            return;
        }

        if (_recentKeyCount == MaxRecentKeys)
        {
            if (_carriageReturnPending)
            {
                NoteOtherKey(); // a line this long is past placing again
                return;
            }

            // Only the newest keys can still be in flight; the line's first ones are forgotten.
            _lineStartRow = -1;
            _recentKeys.AsSpan(1).CopyTo(_recentKeys);
            _recentKeyFrames.AsSpan(1).CopyTo(_recentKeyFrames);
            _recentKeyCount--;
        }

        _recentKeys[_recentKeyCount] = ch;
        _recentKeyFrames[_recentKeyCount++] = _frameSent + 1;
    }

    /// <summary>
    /// A character is about to be predicted at the cursor prediction. If it is the first of its epoch and begins its
    /// line (nothing but plain characters since a CR, none of them echoed right before it), the server's screen
    /// reflects every earlier key and its cursor is right there, on an otherwise empty rest of the row, the text
    /// left of it becomes a prompt candidate: learnt if the server confirms this character.
    /// </summary>
    private void NoteEpochStart(Framebuffer fb)
    {
        if (_promptCandidateEpoch == _predictionEpoch)
        {
            return;
        }

        _promptCandidateEpoch = _predictionEpoch;
        _promptCandidateRow = -1;
        int row = Cursor.Row;
        int column = Cursor.Column;
        if (_frameLateAcked >= _lastKeyFrame && row == fb.State.CursorRow && column == fb.State.CursorColumn
            && row < fb.Height && column < fb.Width && RestIsBlank(fb.GetRow(row), column)
            && (_printableBeginsLine || (_lastOtherKeyWasCarriageReturn && !PreviousKeyShownLeftOf(fb.GetRow(row), column))))
        {
            _promptCandidateRow = row;
            _promptCandidateColumn = column;
            _lineStartRow = row;
            _lineStartColumn = column;
        }
    }

    /// <summary>
    /// Before keys are placed again after a wrong guess, with the keys before index <paramref name="next"/> processed
    /// or shown by the server, and the first <paramref name="processed"/> of them processed: if the row shows, from
    /// where the line began to the server's cursor, the last of those keys (any before them taken without echo, as
    /// vim takes "i"), the text left of the line start is a prompt at which typing echoes, learnt as a line's first
    /// key would teach it. If no key is echoed yet and the cursor is back at the line start, the next key placed
    /// there is a prompt candidate. Returns whether the keys still to place follow echoed ones after a known prompt.
    /// </summary>
    private bool NoteLineStart(Framebuffer fb, int processed, int next)
    {
        int cursorRow = fb.State.CursorRow;
        int cursorColumn = fb.State.CursorColumn;
        int echoed = cursorColumn - _lineStartColumn;
        int firstEchoed = next - echoed;
        if (_lineStartRow != cursorRow || echoed < 0 || firstEchoed < 0 || firstEchoed > processed)
        {
            return false; // no line start since the last other key, or the line went elsewhere (vim's ":" line)
        }

        Row row = fb.GetRow(cursorRow);
        if (!RestIsBlank(row, cursorColumn) || !ShowsKeys(row, _lineStartColumn, firstEchoed, echoed))
        {
            return false;
        }

        if (echoed == 0)
        {
            _promptCandidateEpoch = _predictionEpoch;
            _promptCandidateRow = cursorRow;
            _promptCandidateColumn = cursorColumn;
            return false;
        }

        if (!KnownPrompts.IsEligible(row, _lineStartColumn, fb.State.BracketedPaste))
        {
            return false;
        }

        _knownPrompts.Remember(row, _lineStartColumn);
        return true;
    }

    /// <summary>
    /// Whether the key typed before the one just noted shows right left of <paramref name="column"/>. Keys since a CR
    /// that left no such trace were taken as commands (vim's "i"), so the next key still begins the line; one that
    /// shows there was echoed somewhere else (vim's ":" on its command line), which is no line start.
    /// </summary>
    private bool PreviousKeyShownLeftOf(Row row, int column) =>
        _recentKeyCount < 2 || (column > 0 && ShowsKeys(row, column - 1, _recentKeyCount - 2, 1));

    /// <summary>The server confirmed the prediction at (<paramref name="row"/>, <paramref name="column"/>) of <paramref name="epoch"/>.</summary>
    private void NoteConfirmed(ulong epoch, int row, int column, Framebuffer fb)
    {
        if (epoch == _promptCandidateEpoch && row == _promptCandidateRow && column == _promptCandidateColumn
            && KnownPrompts.IsEligible(fb.GetRow(row), column, fb.State.BracketedPaste))
        {
            _knownPrompts.Remember(fb.GetRow(row), column);
            _promptCandidateRow = -1;
        }
    }

    /// <summary>
    /// After the server processed a CR: if its cursor follows a known prompt and the keys it already echoed,
    /// drops the guesses made from the predicted cursor and places the keys still in flight after the cursor,
    /// shown at once; with no key in flight that happens when the next key is typed (<paramref name="keyComing"/>),
    /// so the screen it is judged on is the one the user typed at. Called after every <see cref="Cull"/>.
    /// </summary>
    private void TryPlaceNewLine(Framebuffer fb, long now, bool keyComing)
    {
        int cursorRow = fb.State.CursorRow;
        int cursorColumn = fb.State.CursorColumn;
        // The screen shows the CR's effect once the echo ack covers it, or once its cursor is below the line the CR ended.
        if (!_carriageReturnPending || cursorRow >= fb.Height || cursorColumn >= fb.Width
            || (_frameLateAcked < _carriageReturnFrame && cursorRow <= _carriageReturnFromRow))
        {
            return;
        }

        Row row = fb.GetRow(cursorRow);
        if (!RestIsBlank(row, cursorColumn))
        {
            return;
        }

        // How many of the keys typed after the CR the row already shows after a known prompt.
        int echoed = -1;
        for (int k = 0; k <= _recentKeyCount && k <= cursorColumn; k++)
        {
            int promptLength = cursorColumn - k;
            if (ShowsKeys(row, promptLength, 0, k) && IsKnownPromptHere(row, promptLength, cursorRow, fb.State.BracketedPaste))
            {
                echoed = k;
                break;
            }
        }

        if (echoed < 0 || (echoed == _recentKeyCount && !keyComing))
        {
            return; // not (yet) a prompt known to echo (typing stays tentative, as upstream's), or nothing to place yet
        }

        for (int i = echoed; i < _recentKeyCount; i++)
        {
            if (_recentKeyFrames[i] <= _frameLateAcked)
            {
                _carriageReturnPending = false; // processed but not echoed: this line does not echo after all
                return;
            }
        }

        Reset();
        _confirmedEpoch = _predictionEpoch;
        _carriageReturnPending = false;
        _resynchronise = false;
        Replay(echoed, fb, now);
    }

    /// <summary>
    /// After a wrong guess dropped predictions (<see cref="_resynchronise"/>): the guesses made meanwhile started
    /// from a cursor that did not yet count the keys in flight, and so would every later one, epoch after epoch,
    /// until typing pauses. Instead the plain characters still in flight are placed again, tentatively, after the
    /// server's cursor (and after those of them it already shows), to be confirmed by their echo, or shown at once
    /// where the row shows the line's keys echoed after a known prompt.
    /// </summary>
    private void Resynchronise(Framebuffer fb, long now)
    {
        _resynchronise = false;
        int cursorRow = fb.State.CursorRow;
        int cursorColumn = fb.State.CursorColumn;
        ulong processedFrame = Math.Max(_frameLateAcked, _processedAheadOfAck);
        if (_lastOtherKeyFrame > processedFrame || cursorRow >= fb.Height || cursorColumn >= fb.Width)
        {
            return; // a key of unknown effect is still in flight
        }

        int first = 0;
        while (first < _recentKeyCount && _recentKeyFrames[first] <= processedFrame)
        {
            first++;
        }

        // Those of the keys in flight the server already shows, left of its cursor.
        int inFlight = _recentKeyCount - first;
        Row row = fb.GetRow(cursorRow);
        int shown = Math.Min(inFlight, cursorColumn);
        while (shown > 0 && !ShowsKeys(row, cursorColumn - shown, first, shown))
        {
            shown--;
        }

        // Nothing to place, or guesses of a confirmed epoch still stand for some of the keys.
        bool place = first + shown < _recentKeyCount && !AnyCellPredicted();
        if (place)
        {
            Reset(); // start from the server's cursor in a fresh tentative epoch
        }

        bool echoes = NoteLineStart(fb, first, first + shown);
        if (!place)
        {
            return;
        }

        if (echoes)
        {
            _confirmedEpoch = _predictionEpoch; // the server echoes this line: the rest shows at once
        }

        Replay(first + shown, fb, now);
    }

    /// <summary>Predicts the remembered keys from index <paramref name="from"/> on, each judged at the frame that carried it.</summary>
    private void Replay(int from, Framebuffer fb, long now)
    {
        ulong frameSent = _frameSent;
        for (int i = from; i < _recentKeyCount; i++)
        {
            _frameSent = _recentKeyFrames[i] - 1;
            PredictPrint(_recentKeys[i], fb, now);
        }

        _frameSent = frameSent;
    }

    private bool IsKnownPromptHere(Row row, int promptLength, int cursorRow, bool bracketedPaste)
    {
        if (!KnownPrompts.IsEligible(row, promptLength, bracketedPaste) || !_knownPrompts.Contains(row, promptLength))
        {
            return false;
        }

        // A prompt without text only counts where the CR was predicted to land (a new line in an editor), not on
        // a screen an application has just drawn.
        bool hasText = KnownPrompts.IsEligible(row, promptLength, bracketedPaste: false);
        return hasText || cursorRow == _carriageReturnRow;
    }

    /// <summary>Whether the cells from <paramref name="start"/> show <paramref name="count"/> remembered keys from index <paramref name="from"/>.</summary>
    private bool ShowsKeys(Row row, int start, int from, int count)
    {
        Span<char> utf16 = stackalloc char[2];
        for (int i = 0; i < count; i++)
        {
            int written = new Rune(_recentKeys[from + i]).EncodeToUtf16(utf16);
            if (!row.GetText(start + i).SequenceEqual(utf16[..written]))
            {
                return false;
            }
        }

        return true;
    }

    private bool AnyCellPredicted()
    {
        foreach (PredictedRow row in _rows)
        {
            if (row.HasActive())
            {
                return true;
            }
        }

        return false;
    }

    private static bool RestIsBlank(Row row, int column)
    {
        ReadOnlySpan<Cell> cells = row.Cells;
        for (int i = column; i < cells.Length; i++)
        {
            if (!cells[i].IsBlank)
            {
                return false;
            }
        }

        return true;
    }
}
