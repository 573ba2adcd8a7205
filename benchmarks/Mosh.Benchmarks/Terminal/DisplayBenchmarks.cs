using System.Buffers;
using BenchmarkDotNet.Attributes;
using Mosh.Terminal;

namespace Mosh.Benchmarks.Terminal;

/// <summary>
/// The display diff: one changed cell (typing), a full repaint (every cell different), a full redraw from an
/// uninitialised terminal, and a one-line scroll, for 80x24 and 250x70 screens of varied text and colours.
/// The output buffer is reused, so steady state should allocate nothing.
/// </summary>
[MemoryDiagnoser]
public class DisplayBenchmarks
{
    private readonly Display _display = Display.ForServer();
    private readonly ArrayBufferWriter<byte> _output = new(1 << 20);
    private Framebuffer _screen = null!;
    private Framebuffer _oneCell = null!;
    private Framebuffer _repainted = null!;
    private Framebuffer _scrolled = null!;

    [Params(80, 250)]
    public int Width { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        int height = Width == 80 ? 24 : 70;
        _screen = Filled(Width, height, seed: 1);
        _oneCell = _screen.Clone();
        _oneCell.GetMutableRow(height / 2).SetCharacter(Width / 2, '#', default, wide: false);
        _oneCell.State.MoveColumn(Width / 2 + 1);
        _repainted = Filled(Width, height, seed: 2);
        _scrolled = _screen.Clone();
        _scrolled.Scroll(1);
        Row last = _scrolled.GetMutableRow(height - 1);
        for (int x = 0; x < Width / 2; x++)
        {
            last.SetCharacter(x, 'a' + (x % 26), default, wide: false);
        }
    }

    /// <summary>Text in a few colours with some blank stretches, cursor on the bottom row.</summary>
    private static Framebuffer Filled(int width, int height, int seed)
    {
        var random = new Random(seed);
        var frame = new Framebuffer(width, height);
        var colours = new Renditions[4];
        colours[1].Foreground = TerminalColor.Indexed(2);
        colours[2].Set(TextAttributes.Bold, true);
        colours[3].Background = TerminalColor.Rgb(30, 30, 60);
        for (int y = 0; y < height; y++)
        {
            Row row = frame.GetMutableRow(y);
            int end = random.Next(width / 2, width);
            for (int x = 0; x < end; x++)
            {
                if (random.Next(8) != 0)
                {
                    row.SetCharacter(x, 'A' + random.Next(58), colours[(x / 7) % colours.Length], wide: false);
                }
            }
        }

        frame.State.MoveRow(height - 1);
        return frame;
    }

    [Benchmark]
    public int OneCellChanged() => Run(true, _screen, _oneCell);

    [Benchmark]
    public int FullRepaint() => Run(true, _screen, _repainted);

    [Benchmark]
    public int FullRedrawUninitialized() => Run(false, _screen, _screen);

    [Benchmark]
    public int ScrollOneLine() => Run(true, _screen, _scrolled);

    private int Run(bool initialized, Framebuffer last, Framebuffer next)
    {
        _output.ResetWrittenCount();
        _display.NewFrame(initialized, last, next, _output);
        return _output.WrittenCount;
    }
}
