using System.Buffers;
using BenchmarkDotNet.Attributes;
using Mosh.Prediction;
using Mosh.Terminal;

namespace Mosh.Benchmarks.Prediction;

/// <summary>
/// mosh-client's render cycle, as upstream's src/examples/benchmark.cc measures it: one keystroke into the
/// prediction engine, copy the server's frame, cull and apply the predictions, and a full redraw
/// (<c>Display.NewFrame(false, ...)</c>) into a reused buffer; the two client frames swap roles each time.
/// </summary>
/// <remarks>
/// <c>Unconfirmed</c> is upstream's benchmark: bytes <c>i + 'x'</c> (every byte value, controls and escapes
/// included) against a server that never answers, so every prediction stays tentative and nothing is painted.
/// <c>Confirmed</c> types a letter and a backspace in turn after the server confirmed the epoch, so a
/// prediction is painted (underlined) on every frame.
/// </remarks>
[MemoryDiagnoser]
public class RenderCycleBenchmarks
{
    private Framebuffer _server = null!;
    private Framebuffer _last = null!;
    private Framebuffer _next = null!;
    private PredictionEngine _engine = null!;
    private Display _display = null!;
    private ArrayBufferWriter<byte> _output = null!;
    private long _now;
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
        var emulator = new Emulator(width, height);
        _engine = new PredictionEngine(DisplayPreference.Adaptive);
        _engine.SetSendInterval(250);
        _now = 1_000_000;
        if (Typing == "Confirmed")
        {
            emulator.Write("$ "u8);
            _engine.Cull(emulator.Framebuffer, _now);
            _engine.NewUserInput("l"u8, emulator.Framebuffer, _now);
            emulator.Write("l"u8);
            _engine.SetLocalFrameLateAcked(1);
            _engine.SetLocalFrameSent(1);
            _engine.Cull(emulator.Framebuffer, _now);
        }

        _server = emulator.Framebuffer.Clone();
        _last = new Framebuffer(width, height);
        _next = new Framebuffer(width, height);
        _display = new Display(hasEch: true, hasBce: true, hasTitle: true);
        _output = new ArrayBufferWriter<byte>(64 * 1024);
        _i = 0;
    }

    /// <summary>The same cycle without the prediction engine: what the engine adds is the difference.</summary>
    [Benchmark(Baseline = true)]
    public int CopyAndFullRedraw()
    {
        _next.CopyFrom(_server);
        _output.ResetWrittenCount();
        _display.NewFrame(false, _last, _next, _output);
        (_last, _next) = (_next, _last);
        return _output.WrittenCount;
    }

    [Benchmark]
    public int KeystrokeAndFullRedraw()
    {
        byte key = Typing == "Confirmed" ? (byte)((_i & 1) == 0 ? 'a' + ((_i >> 1) % 26) : 0x7F) : unchecked((byte)(_i + 'x'));
        _i++;
        _now++;
        _engine.NewUserInput(new ReadOnlySpan<byte>(in key), _server, _now);

        _next.CopyFrom(_server);
        _engine.Cull(_server, _now);
        _engine.Apply(_next);

        _output.ResetWrittenCount();
        _display.NewFrame(false, _last, _next, _output);

        (_last, _next) = (_next, _last);
        return _output.WrittenCount;
    }
}
