using BenchmarkDotNet.Attributes;
using Mosh.Terminal;

namespace Mosh.Benchmarks.Terminal;

/// <summary>
/// Emulator throughput: ~1 MiB of program output per operation, fed in 16 KiB writes as mosh-server reads
/// the pty. Divide 1 MiB by the mean time for MB/s. Steady state must not allocate.
/// </summary>
[MemoryDiagnoser]
public class EmulatorBenchmarks
{
    private const int ChunkSize = 16 * 1024;

    private byte[] _plain = [];
    private byte[] _listing = [];
    private byte[] _redraw = [];
    private Emulator _emulator = null!;

    [GlobalSetup]
    public void Setup()
    {
        _plain = TerminalStreams.PlainAsciiLines();
        _listing = TerminalStreams.ColourfulListing();
        _redraw = TerminalStreams.FullScreenRedraws();
        _emulator = new Emulator(80, 24);
        Feed(_plain);
        Feed(_listing);
        Feed(_redraw);
    }

    [Benchmark(Description = "plain ASCII lines (1 MiB)")]
    public void PlainAsciiLines() => Feed(_plain);

    [Benchmark(Description = "colourful ls output (1 MiB)")]
    public void ColourfulListing() => Feed(_listing);

    [Benchmark(Description = "full-screen redraws (1 MiB)")]
    public void FullScreenRedraws() => Feed(_redraw);

    private void Feed(byte[] data)
    {
        for (int offset = 0; offset < data.Length; offset += ChunkSize)
        {
            _emulator.Write(data.AsSpan(offset, Math.Min(ChunkSize, data.Length - offset)));
        }

        _emulator.ClearTerminalToHost();
    }
}
