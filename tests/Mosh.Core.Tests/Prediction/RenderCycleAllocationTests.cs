using System.Buffers;
using Mosh.Prediction;
using Mosh.Terminal;

namespace Mosh.Tests.Prediction;

/// <summary>
/// mosh-client's render cycle (a keystroke into the engine, the server's frame copied into a reused frame,
/// predictions culled and painted, a full redraw into a reused buffer, the two client frames swapped) allocates
/// nothing once warmed up, whether or not predictions are painted.
/// </summary>
[TestFixture]
public class RenderCycleAllocationTests
{
    /// <summary>Client frames and output buffer reused from frame to frame, as the benchmark and the client do.</summary>
    private sealed class RenderCycle
    {
        private readonly Framebuffer _server;
        private readonly Display _display = new(hasEch: true, hasBce: true, hasTitle: true);
        private readonly ArrayBufferWriter<byte> _output = new(64 * 1024);
        private Framebuffer _last;
        private Framebuffer _next;

        public RenderCycle(Framebuffer server, PredictionEngine engine)
        {
            _server = server;
            Engine = engine;
            _last = new Framebuffer(server.Width, server.Height);
            _next = new Framebuffer(server.Width, server.Height);
        }

        public PredictionEngine Engine { get; }

        public long Now { get; set; } = 1_000_000;

        public Framebuffer Shown => _last;

        public int Cycle(byte key)
        {
            Now++;
            Engine.NewUserInput(new ReadOnlySpan<byte>(in key), _server, Now);
            _next.CopyFrom(_server);
            Engine.Cull(_next, Now);
            Engine.Apply(_next);
            _output.ResetWrittenCount();
            _display.NewFrame(false, _last, _next, _output);
            (_last, _next) = (_next, _last);
            return _output.WrittenCount;
        }
    }

    /// <summary>A shell prompt whose first epoch the server confirmed ("l" echoed), on a slow link: typing paints underlined.</summary>
    private static RenderCycle ConfirmedPrompt(int width, int height)
    {
        var server = new Emulator(width, height);
        var engine = new PredictionEngine(DisplayPreference.Adaptive);
        engine.SetSendInterval(250);
        long now = 1_000_000;
        server.Write("$ "u8);
        engine.Cull(server.Framebuffer, now);
        engine.NewUserInput("l"u8, server.Framebuffer, now);
        server.Write("l"u8);
        engine.SetLocalFrameLateAcked(1);
        engine.SetLocalFrameSent(1);
        engine.Cull(server.Framebuffer, now);
        return new RenderCycle(server.Framebuffer.Clone(), engine);
    }

    private static byte LetterOrBackspace(int i) => (byte)((i & 1) == 0 ? 'a' + ((i >> 1) % 26) : 0x7F);

    private static long AllocatedBy(Action action)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        action();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    [TestCase(80, 24)]
    [TestCase(200, 60)]
    public void Painting_a_prediction_every_frame_allocates_nothing_after_warm_up(int width, int height)
    {
        RenderCycle cycle = ConfirmedPrompt(width, height);
        for (int i = 0; i < 200; i++)
        {
            cycle.Cycle(LetterOrBackspace(i));
        }

        cycle.Cycle((byte)'q');
        Assert.That(cycle.Shown.GetRow(0).ToString().TrimEnd(), Is.EqualTo("$ lq"), "the prediction is painted");
        Assert.That(cycle.Shown.GetCell(0, 3).Renditions.Has(TextAttributes.Underline), Is.True);
        cycle.Cycle(0x7F);

        long allocated = AllocatedBy(() =>
        {
            for (int i = 0; i < 1000; i++)
            {
                cycle.Cycle(LetterOrBackspace(i));
            }
        });

        Assert.That(allocated, Is.Zero);
    }

    [Test]
    public void Upstreams_benchmark_keystrokes_allocate_nothing_after_warm_up()
    {
        // Every byte value in turn (i + 'x'), against a server that never answers: controls, escapes and
        // broken UTF-8 start epochs, printable bytes fill the rows with tentative predictions. A small screen
        // fills (and its per-cell lists reach their bounds) in fewer keystrokes than 80x24.
        var engine = new PredictionEngine(DisplayPreference.Adaptive);
        engine.SetSendInterval(250);
        var cycle = new RenderCycle(new Framebuffer(20, 6), engine);
        int i = 0;
        for (; i < 20_000; i++)
        {
            cycle.Cycle(unchecked((byte)(i + 'x')));
        }

        long allocated = AllocatedBy(() =>
        {
            for (int end = i + 2_000; i < end; i++)
            {
                cycle.Cycle(unchecked((byte)(i + 'x')));
            }
        });

        Assert.That(allocated, Is.Zero);
    }
}
