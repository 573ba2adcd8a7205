using System.Buffers;
using System.Text;
using Mosh.Terminal;

namespace Mosh.Tests.Terminal;

/// <summary>A scrollback for tests: every line that scrolled off in its history form, and how many came as plain text (the flood path).</summary>
internal sealed class RecordingScrollback : IScrollbackSink
{
    private readonly ArrayBufferWriter<byte> _line = new();

    public List<string> Lines { get; } = [];

    public int PlainLines { get; private set; }

    public void RowScrolledOff(Row row)
    {
        _line.ResetWrittenCount();
        HistoryLine.Encode(row, _line);
        Lines.Add(Encoding.UTF8.GetString(_line.WrittenSpan));
    }

    public void PlainLinesScrolledOff(ReadOnlySpan<byte> text, ReadOnlySpan<int> lineEnds)
    {
        int start = 0;
        foreach (int end in lineEnds)
        {
            PlainLines++;
            Lines.Add(Encoding.ASCII.GetString(text[start..end]).TrimEnd(' '));
            start = end + 2;
        }
    }
}
