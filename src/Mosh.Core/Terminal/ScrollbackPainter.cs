using System.Buffers;

namespace Mosh.Terminal;

/// <summary>
/// Puts history lines into the user's terminal's own scrollback without disturbing what the display knows of the
/// screen: a batch of lines is drawn over the top rows and the whole screen is then scrolled up by as many rows
/// with line feeds at the bottom, which moves exactly those rows into the scrollback, in order. The display's frame
/// is told the screen moved (<see cref="Framebuffer.ShowScrolledUp"/>), so the next frame diff repaints what the
/// batch covered. Lines longer than the screen is wide wrap as the terminal wraps them.
/// </summary>
internal sealed class ScrollbackPainter
{
    private readonly ArrayBufferWriter<byte> _batch = new(4096);
    private readonly ArrayBufferWriter<byte> _line = new(1024);
    private int _batchRows;

    /// <summary>Lines written in all.</summary>
    public long LinesWritten { get; private set; }

    /// <summary>Queues one line (in the <see cref="HistoryLine"/> form; sanitised here) for <paramref name="shown"/>'s terminal.</summary>
    public void Add(ReadOnlySpan<byte> line, Framebuffer shown, IBufferWriter<byte> output)
    {
        int width = shown.Width;
        _line.ResetWrittenCount();
        int columns = HistoryLine.Sanitize(line, _line);
        int rows = Math.Min(Math.Max(1, (columns + width - 1) / width), shown.Height);
        if (_batchRows + rows > shown.Height)
        {
            Flush(shown, output); // the batch is a screenful: into the scrollback with it first
        }

        if (_batchRows > 0)
        {
            _batch.Write("\r\n"u8);
        }

        _batch.Write("\e[2K"u8);
        _batch.Write(_line.WrittenSpan);
        if (columns % width != 0 || columns == 0)
        {
            _batch.Write("\e[K"u8); // the rest of the row (not at a pending wrap, where EL would erase the last cell)
        }

        _batchRows += rows;
        LinesWritten++;
    }

    /// <summary>Writes the queued lines into the scrollback.</summary>
    public void Flush(Framebuffer shown, IBufferWriter<byte> output)
    {
        if (_batchRows == 0)
        {
            return;
        }

        var writer = new DisplayWriter(output);
        if (shown.State.Renditions.HyperlinkId != 0)
        {
            writer.Write("\e]8;;\a"u8); // SGR 0 leaves an OSC 8 link open: history lines must not carry it
        }

        writer.Write("\e[?25l\e[r\e[0m\e[H"u8);
        writer.Write(_batch.WrittenSpan);
        writer.Write("\e[0m\e["u8);
        writer.WriteNumber(shown.Height);
        writer.Write(";1H"u8);
        writer.WriteRepeated((byte)'\n', _batchRows);
        writer.Commit();
        shown.ShowScrolledUp(_batchRows);
        _batch.ResetWrittenCount();
        _batchRows = 0;
    }
}
