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
    /// <summary>Keys typed after a CR that can be placed again once the new line's prompt is known.</summary>
    private const int MaxKeysAfterCarriageReturn = 64;

    private readonly KnownPrompts _knownPrompts = new();
    private readonly int[] _keysAfterCr = new int[MaxKeysAfterCarriageReturn];
    private readonly ulong[] _keyFramesAfterCr = new ulong[MaxKeysAfterCarriageReturn];
    private int _keysAfterCrCount;

    // A CR whose new line is still to be placed: its user frame and the row the cursor was predicted to land on.
    private bool _carriageReturnPending;
    private ulong _carriageReturnFrame;
    private int _carriageReturnRow;

    // The frame that carried the newest keystroke, to know when the server's screen reflects every key typed.
    private ulong _lastKeyFrame;

    // Where the current epoch's first character went, when the server's screen then showed every earlier key
    // and had its cursor there: if the server confirms that character, the text left of it is a known prompt.
    private ulong _promptCandidateEpoch;
    private int _promptCandidateRow = -1;
    private int _promptCandidateColumn;

    /// <summary>Texts left of the cursor at which typing was confirmed to echo.</summary>
    internal KnownPrompts KnownPrompts => _knownPrompts;

    /// <summary>A CR was typed: the keys after it are kept until the server shows where the new line starts.</summary>
    private void NoteCarriageReturn(int predictedRow)
    {
        _carriageReturnPending = true;
        _carriageReturnFrame = _frameSent + 1;
        _carriageReturnRow = predictedRow;
        _keysAfterCrCount = 0;
    }

    /// <summary>A key other than a plain character: the keys after the last CR can no longer be replayed.</summary>
    private void ForgetCarriageReturn() => _carriageReturnPending = false;

    /// <summary>A printable key typed by the user (not a replay): kept while a CR's new line is still to be placed.</summary>
    private void NotePrintable(int ch)
    {
        if (!_carriageReturnPending)
        {
            return;
        }

        if (_keysAfterCrCount == MaxKeysAfterCarriageReturn || ch == 0x7F || Emulator.WidthOf(ch) != 1)
        {
            ForgetCarriageReturn();
            return;
        }

        _keysAfterCr[_keysAfterCrCount] = ch;
        _keyFramesAfterCr[_keysAfterCrCount++] = _frameSent + 1;
    }

    /// <summary>
    /// A character is about to be predicted at the cursor prediction. If it is the first of its epoch, the server's
    /// screen reflects every earlier key and its cursor is right there, on an otherwise empty rest of the row, the
    /// text left of it becomes a prompt candidate: learnt if the server confirms this character.
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
            && row < fb.Height && column < fb.Width && RestIsBlank(fb.GetRow(row), column))
        {
            _promptCandidateRow = row;
            _promptCandidateColumn = column;
        }
    }

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
        if (!_carriageReturnPending || _frameLateAcked < _carriageReturnFrame)
        {
            return;
        }

        int cursorRow = fb.State.CursorRow;
        int cursorColumn = fb.State.CursorColumn;
        if (cursorRow >= fb.Height || cursorColumn >= fb.Width)
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
        for (int k = 0; k <= _keysAfterCrCount && k <= cursorColumn; k++)
        {
            int promptLength = cursorColumn - k;
            if (ShowsKeys(row, promptLength, k) && IsKnownPromptHere(row, promptLength, cursorRow, fb.State.BracketedPaste))
            {
                echoed = k;
                break;
            }
        }

        if (echoed < 0 || (echoed == _keysAfterCrCount && !keyComing))
        {
            return; // not (yet) a prompt known to echo (typing stays tentative, as upstream's), or nothing to place yet
        }

        for (int i = echoed; i < _keysAfterCrCount; i++)
        {
            if (_keyFramesAfterCr[i] <= _frameLateAcked)
            {
                ForgetCarriageReturn(); // processed but not echoed: this line does not echo after all
                return;
            }
        }

        Reset();
        _confirmedEpoch = _predictionEpoch;
        _carriageReturnPending = false;

        // Each key keeps the frame that carried it, so it is judged when the server has processed that frame.
        ulong frameSent = _frameSent;
        for (int i = echoed; i < _keysAfterCrCount; i++)
        {
            _frameSent = _keyFramesAfterCr[i] - 1;
            PredictPrint(_keysAfterCr[i], fb, now);
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

    /// <summary>Whether the cells from <paramref name="start"/> show the first <paramref name="count"/> keys typed after the CR.</summary>
    private bool ShowsKeys(Row row, int start, int count)
    {
        Span<char> utf16 = stackalloc char[2];
        for (int i = 0; i < count; i++)
        {
            int written = new Rune(_keysAfterCr[i]).EncodeToUtf16(utf16);
            if (!row.GetText(start + i).SequenceEqual(utf16[..written]))
            {
                return false;
            }
        }

        return true;
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
