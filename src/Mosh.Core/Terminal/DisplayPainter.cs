using System.Buffers;

namespace Mosh.Terminal;

/// <summary>
/// What the display knows about the real terminal while it writes one frame (upstream's FrameState): where its
/// cursor is, which renditions and hyperlink it would give the next character, whether the cursor shows. Moves
/// and rendition changes are written only when they change something, using the cheapest sequence.
/// </summary>
/// <remarks>
/// The cursor column may be <see cref="Width"/>: the last column was just printed and the terminal holds the
/// cursor there with a pending wrap, so the next printable character goes to the next row. Backspace from that
/// state lands one column short on real terminals, so moves from it use CR or an absolute position.
/// </remarks>
internal ref struct DisplayPainter
{
    /// <summary>Row or column of a cursor position the display does not know (after DECSTBM, or before any).</summary>
    public const int Unknown = -1;

    /// <summary>Upstream's limit for relative moves: up to 4 LFs or BSs are cheaper than an absolute move.</summary>
    private const int MaxRelativeMove = 4;

    private static ReadOnlySpan<byte> HideCursor => "\e[?25l"u8;

    private static ReadOnlySpan<byte> HyperlinkStart => "\e]8;"u8;


    private static ReadOnlySpan<byte> NoBreakSpace => "\u00A0"u8;

    private readonly Framebuffer _frame;

    public DisplayWriter Output;

    public int CursorRow;

    public int CursorColumn;

    /// <summary>
    /// The terminal may hold a pending wrap at the cursor (at the last column) without the display knowing: the
    /// last frame ended there, and the receiver reached it by printing (its own emulator, or upstream's verifier
    /// replaying onto the sender's state) or by a move. The next character must then be placed explicitly, or it
    /// lands on the next row.
    /// </summary>
    public bool MayHoldPendingWrap;

    public bool CursorVisible;

    /// <summary>The renditions (with the hyperlink) the terminal gives printed and erased cells.</summary>
    public Renditions Renditions;

    public DisplayPainter(IBufferWriter<byte> output, Framebuffer frame)
    {
        Output = new DisplayWriter(output);
        _frame = frame;
        Width = frame.Width;
    }

    public int Width { get; }

    /// <summary>Moves to (row, column), hiding the cursor first if it is visible (drawing should not show it travel).</summary>
    public void MoveSilently(int row, int column)
    {
        if (CursorRow == row && CursorColumn == column && !MayHoldPendingWrap)
        {
            return;
        }

        if (CursorVisible)
        {
            Output.Write(HideCursor);
            CursorVisible = false;
        }

        Move(row, column);
    }

    /// <summary>Moves the cursor: CR and LFs to the start of a row a little below, BSs a little left, else CUP.</summary>
    public void Move(int row, int column)
    {
        int fromRow = CursorRow, fromColumn = CursorColumn;
        // CR and BS leave a pending wrap behind as the cursor moves; only a move to the same place needs CUP.
        bool samePlace = MayHoldPendingWrap && fromRow == row && fromColumn == column;
        MayHoldPendingWrap = false;
        CursorRow = row;
        CursorColumn = column;
        if (fromRow != Unknown && fromColumn != Unknown && !samePlace)
        {
            int down = row - fromRow;
            if (column == 0 && down >= 0 && down <= MaxRelativeMove)
            {
                if (fromColumn != 0)
                {
                    Output.Write((byte)'\r');
                }

                Output.WriteRepeated((byte)'\n', down);
                return;
            }

            int left = fromColumn - column;
            if (down == 0 && fromColumn < Width && left > 0 && left <= MaxRelativeMove)
            {
                Output.WriteRepeated((byte)'\b', left);
                return;
            }
        }

        Output.Write("\e["u8);
        Output.WriteNumber(row + 1);
        Output.Write((byte)';');
        Output.WriteNumber(column + 1);
        Output.Write((byte)'H');
    }

    /// <summary>Forgets the cursor position (the terminal moved it in a way we do not track).</summary>
    public void LoseCursor()
    {
        CursorRow = Unknown;
        CursorColumn = Unknown;
    }

    /// <summary>
    /// Makes the terminal's renditions <paramref name="target"/>: an SGR when the graphic part differs (or
    /// <paramref name="forceGraphics"/>), an OSC 8 when the hyperlink differs.
    /// </summary>
    public void UpdateRenditions(in Renditions target, bool forceGraphics = false)
    {
        if (!forceGraphics && Renditions == target)
        {
            return;
        }

        if (forceGraphics || !SameGraphics(Renditions, target))
        {
            Span<byte> sgr = stackalloc byte[Renditions.MaxSgrLength];
            Output.Write(sgr[..target.FormatSgr(sgr)]);
        }

        if (Renditions.HyperlinkId != target.HyperlinkId)
        {
            WriteHyperlink(_frame.GetHyperlink(target.HyperlinkId));
        }

        Renditions = target;
    }

    /// <summary>
    /// OSC 8 opening <paramref name="link"/>, or closing any link when it is null. Terminated by BEL, not ST:
    /// a mosh emulator reads ST (ESC \) as an unknown control, which cancels a pending wrap, so an ST between
    /// a wrapped row's last cell and the next row's first would unwrap the row.
    /// </summary>
    public void WriteHyperlink(Hyperlink? link)
    {
        Output.Write(HyperlinkStart);
        if (link is not null)
        {
            Output.WriteUtf8(link.Parameters);
        }

        Output.Write((byte)';');
        if (link is not null)
        {
            Output.WriteUtf8(link.Uri);
        }

        Output.Write(0x07);
    }

    /// <summary>
    /// Prints the cell at <paramref name="column"/> of <paramref name="row"/> in its renditions (the cursor must be
    /// there) and returns the columns it took. An empty cell prints a space; a cell starting with a combining mark
    /// prints it on a no-break space; a wide character cut by the right edge (a resize can leave one) prints a space.
    /// </summary>
    public int PrintCell(Row row, int column)
    {
        ref readonly Cell cell = ref row[column];
        UpdateRenditions(cell.Renditions);
        int columns = Math.Min(cell.Width, Width - column);
        if (cell.IsEmpty || columns < cell.Width)
        {
            Output.Write((byte)' ');
        }
        else if (cell.InlineText is [< (char)0x80 and var ascii] && !cell.IsFallback)
        {
            Output.Write((byte)ascii);
        }
        else
        {
            if (cell.IsFallback)
            {
                Output.Write(NoBreakSpace);
            }

            Output.WriteUtf8(row.GetText(column));
        }

        CursorColumn += columns;
        return columns;
    }

    /// <summary>Whether the graphic renditions (everything SGR sets) are the same, ignoring the hyperlink.</summary>
    public static bool SameGraphics(Renditions a, Renditions b)
    {
        a.HyperlinkId = 0;
        b.HyperlinkId = 0;
        return a == b;
    }
}
