using System.Buffers;
using System.Text;
using Mosh.Terminal;

namespace Mosh.Tests.Terminal;

/// <summary>A scrollback for tests: every line that scrolled off in its history form (as sent), and how many came as plain text (the flood path).</summary>
internal sealed class RecordingScrollback : IScrollbackSink
{
    private readonly ArrayBufferWriter<byte> _line = new();
    private readonly ArrayBufferWriter<byte> _wire = new();

    public List<string> Lines { get; } = [];

    /// <summary>An emulator whose screen feeds a new recording scrollback.</summary>
    public static (Emulator Terminal, RecordingScrollback Scrollback) NewTerminal(int width, int height)
    {
        var terminal = new Emulator(width, height);
        var scrollback = new RecordingScrollback();
        terminal.Framebuffer.ScrollbackSink = scrollback;
        return (terminal, scrollback);
    }

    public int PlainLines { get; private set; }

    /// <summary>Lines whose row kept what the application wrote for it (<see cref="VerbatimLine"/>).</summary>
    public int VerbatimLines { get; private set; }

    /// <summary>Kept rows whose bytes the encoder could not follow without a one-row emulator (it should never need one).</summary>
    public long EncoderFallbacks => _encoder.Fallbacks;

    private readonly VerbatimLineEncoder _encoder = new();
    private readonly ArrayBufferWriter<byte> _verbatim = new();

    /// <summary>
    /// Every row's history line comes from its cells; a row that kept its bytes must encode from them to exactly the
    /// same line (what the server's history stores), so every test that records a scrollback checks them too.
    /// </summary>
    public void RowScrolledOff(Row row)
    {
        _line.ResetWrittenCount();
        HistoryLine.Encode(row, _line);
        _wire.ResetWrittenCount();
        HistoryLine.ToWire(_line.WrittenSpan, _wire);
        string encoded = Encoding.UTF8.GetString(_wire.WrittenSpan);
        if (HistoryLine.WireLength(_line.WrittenSpan) != _wire.WrittenCount)
        {
            throw new InvalidOperationException($"{Show(_line.WrittenSpan)} counted {HistoryLine.WireLength(_line.WrittenSpan)} bytes as sent, is {_wire.WrittenCount}");
        }
        if (row.TryTakeVerbatim(out Renditions start, out TerminalColor fill, out ReadOnlySpan<byte> bytes))
        {
            VerbatimLines++;
            _verbatim.ResetWrittenCount();
            _encoder.Encode(row.Width, start, fill, bytes, _verbatim);
            if (!_verbatim.WrittenSpan.SequenceEqual(_line.WrittenSpan))
            {
                throw new InvalidOperationException(
                    $"row kept {Encoding.UTF8.GetString(bytes).Replace("\e", "\\e")}, encoded {Show(_verbatim.WrittenSpan)}, where its cells encode as {Show(_line.WrittenSpan)}");
            }
        }

        Lines.Add(encoded);
    }

    // A stored line's packed renditions are binary: shown as the line goes out and as hex.
    private static string Show(ReadOnlySpan<byte> line)
    {
        var wire = new ArrayBufferWriter<byte>();
        HistoryLine.ToWire(line, wire);
        return $"{Encoding.UTF8.GetString(wire.WrittenSpan).Replace("\e", "\\e")} ({Convert.ToHexString(line)})";
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
