using BenchmarkDotNet.Attributes;

namespace Mosh.Benchmarks.Prediction;

/// <summary>
/// mosh-client's render cycle per frame (<see cref="RenderCycle"/>): the work of one iteration of upstream's
/// <c>src/examples/benchmark.cc</c>. <c>benchmarks/compare-render-cycle.sh</c> runs the same loop outside
/// BenchmarkDotNet beside upstream's binary.
/// </summary>
/// <remarks>
/// <c>Unconfirmed</c> is upstream's benchmark: bytes <c>i + 'x'</c> (every byte value, controls and escapes
/// included) against a server that never answers, so every prediction stays tentative and nothing is painted.
/// <c>Confirmed</c> types a letter and a backspace in turn after the server confirmed the epoch, so a
/// prediction is painted (underlined) on every other frame.
/// </remarks>
[MemoryDiagnoser]
public class RenderCycleBenchmarks
{
    private RenderCycle _cycle = null!;
    private int _i;

    [Params("80x24", "200x60")]
    public string Size { get; set; } = "80x24";

    [Params("Unconfirmed", "Confirmed")]
    public string Typing { get; set; } = "Unconfirmed";

    [GlobalSetup]
    public void Setup()
    {
        int x = Size.IndexOf('x', StringComparison.Ordinal);
        int width = int.Parse(Size.AsSpan(0, x), provider: null);
        int height = int.Parse(Size.AsSpan(x + 1), provider: null);
        _cycle = new RenderCycle(width, height, confirmedPrompt: Typing == "Confirmed");
        _i = 0;
    }

    /// <summary>The same cycle without the prediction engine: what the engine adds is the difference.</summary>
    [Benchmark(Baseline = true)]
    public int CopyAndFullRedraw() => _cycle.CopyAndRedraw();

    [Benchmark]
    public int KeystrokeAndFullRedraw()
    {
        int i = _i++;
        return _cycle.Step(Typing == "Confirmed" ? RenderCycle.LetterOrBackspace(i) : RenderCycle.UpstreamKey(i));
    }
}
