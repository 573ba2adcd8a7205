using Mosh.Terminal;

namespace Mosh.Prediction;

/// <summary>
/// The texts left of the cursor (prompts) at which typing was proven to echo: the server confirmed the first
/// character typed right after them. A new line that starts after such a prompt can show its typing at once;
/// any other prompt (a password prompt) stays tentative. A few of the most recent are kept, compared by text
/// (renditions aside). Allocates only when a new prompt is learnt.
/// </summary>
internal sealed class KnownPrompts
{
    /// <summary>Prompts remembered; a shell, an editor and a REPL or two.</summary>
    internal const int Capacity = 8;

    private readonly Cell[]?[] _prompts = new Cell[]?[Capacity];
    private int _next;

    /// <summary>Whether the first <paramref name="length"/> cells of <paramref name="row"/> are a remembered prompt.</summary>
    public bool Contains(Row row, int length)
    {
        foreach (Cell[]? prompt in _prompts)
        {
            if (prompt is not null && prompt.Length == length && Matches(prompt, row))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Remembers the first <paramref name="length"/> cells of <paramref name="row"/> (the oldest prompt makes room).</summary>
    public void Remember(Row row, int length)
    {
        if (Contains(row, length))
        {
            return;
        }

        var prompt = new Cell[length];
        row.Cells[..length].CopyTo(prompt);
        _prompts[_next] = prompt;
        _next = (_next + 1) % Capacity;
    }

    /// <summary>Whether the first cells of a row can serve as a prompt: some text, or none but the application asked
    /// for bracketed paste (a line editor or a text editor, not a bare password read).</summary>
    public static bool IsEligible(Row row, int length, bool bracketedPaste)
    {
        if (bracketedPaste)
        {
            return true;
        }

        for (int i = 0; i < length; i++)
        {
            if (!row[i].IsBlank)
            {
                return true;
            }
        }

        return false;
    }

    private static bool Matches(Cell[] prompt, Row row)
    {
        for (int i = 0; i < prompt.Length; i++)
        {
            if (!OverlayCells.ContentsMatch(prompt[i], row[i]) || (row[i].Flags & CellFlags.Overflow) != 0)
            {
                return false;
            }
        }

        return true;
    }
}
