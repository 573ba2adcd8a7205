using BenchmarkDotNet.Attributes;
using Mosh.Terminal;

namespace Mosh.Benchmarks.Terminal;

/// <summary>Framebuffer copy and compare, as the server does for every frame it snapshots and diffs.</summary>
[MemoryDiagnoser]
public class FramebufferBenchmarks
{
    private Framebuffer _screen = null!;
    private Framebuffer _sameRows = null!;
    private Framebuffer _equalContent = null!;
    private Framebuffer _lastCellDiffers = null!;
    private Framebuffer _target = null!;

    [Params(80, 200)]
    public int Width { get; set; }

    private int Height => Width == 80 ? 24 : 60;

    [GlobalSetup]
    public void Setup()
    {
        _screen = Filled(Width, Height);
        _sameRows = _screen.Clone();
        _equalContent = Filled(Width, Height);
        _lastCellDiffers = Filled(Width, Height);
        _lastCellDiffers.GetMutableRow(Height - 1).SetCharacter(Width - 1, '!', default, false);
        _target = new Framebuffer(Width, Height);
    }

    private static Framebuffer Filled(int width, int height)
    {
        var emulator = new Emulator(width, height);
        var text = new System.Text.StringBuilder();
        for (int row = 0; row < height; row++)
        {
            text.Append("\e[").Append(row + 1).Append(";1H\e[3").Append(row % 8).Append('m');
            for (int col = 0; col < width - 1; col++)
            {
                text.Append((char)('a' + ((row + col) % 26)));
            }
        }

        emulator.Write(System.Text.Encoding.ASCII.GetBytes(text.ToString()));
        return emulator.Framebuffer;
    }

    [Benchmark(Description = "Clone (shares rows)")]
    public object Clone() => _screen.Clone();

    [Benchmark(Description = "CopyFrom into an existing frame")]
    public void CopyFrom() => _target.CopyFrom(_screen);

    [Benchmark(Description = "Equals, rows shared")]
    public bool EqualsShared() => _screen.Equals(_sameRows);

    [Benchmark(Description = "Equals, equal content in distinct rows")]
    public bool EqualsContent() => _screen.Equals(_equalContent);

    [Benchmark(Description = "Equals, last cell differs")]
    public bool EqualsLastCellDiffers() => _screen.Equals(_lastCellDiffers);

    [Benchmark(Description = "Clone then write one cell (copy-on-write of a row)")]
    public object CloneAndWrite()
    {
        Framebuffer copy = _screen.Clone();
        copy.GetMutableRow(0).SetCharacter(0, 'x', default, false);
        return copy;
    }
}
