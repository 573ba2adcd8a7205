using System.Text;
using Mosh.Terminal;

namespace Mosh.Prediction;

/// <summary>Reading framebuffer cells into predictions and painting predictions back.</summary>
internal static class OverlayCells
{
    /// <summary>Upstream's contents_match for two inline cells: both blank, or the same grapheme.</summary>
    public static bool ContentsMatch(in Cell a, in Cell b) =>
        (a.IsBlank && b.IsBlank)
        || (a.TextLength == b.TextLength && a.InlineText.SequenceEqual(b.InlineText)
            && (a.Flags & CellFlags.Overflow) == 0 && (b.Flags & CellFlags.Overflow) == 0);

    /// <summary>Whether the framebuffer cell shows <paramref name="replacement"/>'s text (both blank counts).</summary>
    public static bool ContentsMatch(in Cell replacement, Row row, int column)
    {
        ref readonly Cell actual = ref row[column];
        return (replacement.IsBlank && actual.IsBlank) || replacement.InlineText.SequenceEqual(row.GetText(column));
    }

    /// <summary>Whether the framebuffer cell is exactly <paramref name="replacement"/> (text, renditions, width, fallback).</summary>
    public static bool Equal(in Cell replacement, Row row, int column)
    {
        ref readonly Cell actual = ref row[column];
        const CellFlags Shape = CellFlags.Wide | CellFlags.Fallback;
        return actual.Renditions == replacement.Renditions
            && (actual.Flags & Shape) == (replacement.Flags & Shape)
            && replacement.InlineText.SequenceEqual(row.GetText(column));
    }

    /// <summary>Whether a framebuffer cell can be carried as a prediction (its text is stored inline).</summary>
    public static bool IsInline(in Cell cell) => (cell.Flags & CellFlags.Overflow) == 0;

    /// <summary>
    /// Writes <paramref name="replacement"/> into a row through the row's own editing functions, keeping the
    /// row's wrap flag (a prediction says nothing about soft wrapping).
    /// </summary>
    public static void Write(Row row, int column, in Cell replacement)
    {
        bool wrap = row.Wrap;
        ReadOnlySpan<char> text = replacement.InlineText;
        if (text.IsEmpty)
        {
            row.ResetCell(column, replacement.Renditions.Background);
            row.SetRenditions(column, replacement.Renditions);
        }
        else
        {
            Rune.DecodeFromUtf16(text, out Rune first, out int consumed);
            row.SetCharacter(column, first.Value, replacement.Renditions, replacement.IsWide);
            while (consumed < text.Length)
            {
                Rune.DecodeFromUtf16(text[consumed..], out Rune mark, out int used);
                row.AppendToCell(column, mark.Value);
                consumed += used;
            }

            row.SetFallback(column, replacement.IsFallback);
        }

        row.Wrap = wrap;
    }

    /// <summary>Underlines a framebuffer cell (how unconfirmed predictions are flagged).</summary>
    public static void Underline(Row row, int column)
    {
        Renditions renditions = row[column].Renditions;
        renditions.Set(TextAttributes.Underline, true);
        row.SetRenditions(column, renditions);
    }

    /// <summary>Empties a prediction's text, keeping its renditions (upstream Cell::clear).</summary>
    public static void ClearText(ref Cell cell)
    {
        Renditions renditions = cell.Renditions;
        cell = default;
        cell.SetRenditions(renditions);
    }

    /// <summary>A one-column (or wide) character with the given renditions.</summary>
    public static Cell Character(int codePoint, in Renditions renditions, bool wide)
    {
        var cell = new Cell { _renditions = renditions };
        AppendInline(ref cell, codePoint);
        cell.SetWide(wide);
        return cell;
    }

    /// <summary>Appends a combining mark if it fits inline; false when it does not.</summary>
    public static bool TryAppend(ref Cell cell, int codePoint)
    {
        if (cell.IsFull || cell.TextLength + Cell.Utf16LengthOf(codePoint) > Cell.InlineCapacity)
        {
            return false;
        }

        AppendInline(ref cell, codePoint);
        return true;
    }

    private static void AppendInline(ref Cell cell, int codePoint)
    {
        cell._length += (byte)Cell.EncodeUtf16(codePoint, ((Span<char>)cell._text)[cell._length..]);
        cell._utf8Length += (byte)Cell.Utf8LengthOf(codePoint);
    }
}
