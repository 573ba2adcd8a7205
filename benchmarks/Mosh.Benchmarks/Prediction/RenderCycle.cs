using System.Buffers;
using Mosh.Prediction;
using Mosh.Terminal;

namespace Mosh.Benchmarks.Prediction;

/// <summary>
/// mosh-client's render cycle exactly as upstream's <c>src/examples/benchmark.cc</c> runs it: one typed byte
/// into the prediction engine (read against the frame on screen, as upstream passes its local framebuffer),
/// the server's frame copied into the spare client frame, the predictions culled and applied to that copy, a
/// full redraw (<c>NewFrame(false, shown, next)</c>) into a reused buffer, and the two client frames swapped.
/// </summary>
/// <remarks>
/// Time stands still, as in upstream's benchmark (its <c>timestamp()</c> is frozen at the first call and only
/// its main loop advances it), so no glitch timer fires. The send interval is the engine's initial 250 ms, so
/// confirmed predictions are shown and underlined.
/// </remarks>
internal sealed class RenderCycle
{
    private readonly Framebuffer _server;
    private readonly PredictionEngine _engine;
    private readonly Display _display = new(hasEch: true, hasBce: true, hasTitle: true);
    private readonly ArrayBufferWriter<byte> _output = new(64 * 1024);
    private readonly long _now = MonotonicNow();
    private Framebuffer _shown;
    private Framebuffer _next;

    /// <param name="confirmedPrompt">
    /// False: upstream's setup, a blank screen from a server that never answers, so every prediction stays
    /// tentative and none is painted. True: a shell prompt "$ l" whose epoch the server confirmed, so
    /// printable keystrokes are painted (underlined) on the frame.
    /// </param>
    public RenderCycle(int width, int height, bool confirmedPrompt)
    {
        var server = new Emulator(width, height);
        _engine = new PredictionEngine(DisplayPreference.Adaptive);
        _engine.SetSendInterval(250);
        if (confirmedPrompt)
        {
            server.Write("$ "u8);
            _engine.Cull(server.Framebuffer, _now);
            _engine.NewUserInput("l"u8, server.Framebuffer, _now);
            server.Write("l"u8);
            _engine.SetLocalFrameLateAcked(1);
            _engine.SetLocalFrameSent(1);
            _engine.Cull(server.Framebuffer, _now);
        }

        _server = server.Framebuffer.Clone();
        _shown = new Framebuffer(width, height);
        _next = new Framebuffer(width, height);
    }

    /// <summary>The frame on screen after the last <see cref="Step"/>.</summary>
    public Framebuffer Shown => _shown;

    /// <summary>Upstream's keystroke for iteration <paramref name="i"/>: <c>char(i + 'x')</c>, every byte value in turn.</summary>
    public static byte UpstreamKey(int i) => unchecked((byte)(i + 'x'));

    /// <summary>A letter on even iterations, DEL (backspace) on odd ones: each letter is painted, then taken back.</summary>
    public static byte LetterOrBackspace(int i) => (byte)((i & 1) == 0 ? 'a' + ((i >> 1) % 26) : 0x7F);

    /// <summary>One frame; returns the number of bytes the redraw produced (upstream checks the diff's size).</summary>
    public int Step(byte key)
    {
        _engine.NewUserInput(new ReadOnlySpan<byte>(in key), _shown, _now);

        _next.CopyFrom(_server);
        _engine.Cull(_next, _now);
        _engine.Apply(_next);

        _output.ResetWrittenCount();
        _display.NewFrame(false, _shown, _next, _output);

        (_shown, _next) = (_next, _shown);
        return _output.WrittenCount;
    }

    /// <summary>The same frame without the engine: copy and full redraw only.</summary>
    public int CopyAndRedraw()
    {
        _next.CopyFrom(_server);
        _output.ResetWrittenCount();
        _display.NewFrame(false, _shown, _next, _output);
        (_shown, _next) = (_next, _shown);
        return _output.WrittenCount;
    }

    private static long MonotonicNow() => Mosh.Network.MonotonicClock.Instance.NowMilliseconds;
}
