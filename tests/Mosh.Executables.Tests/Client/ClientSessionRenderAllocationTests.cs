using Microsoft.Win32.SafeHandles;
using Mosh.Client;
using Mosh.Crypto;
using Mosh.Network;
using Mosh.Prediction;
using Mosh.Terminal;
using Mosh.Util;

namespace Mosh.Tests.Client;

/// <summary>
/// mosh-client's own render step, <see cref="ClientSession.OutputNewFrame"/> (the server's screen copied into the
/// reused frame, the prediction, notification-bar and title-prefix overlays applied, the diff painted and written),
/// allocates nothing once warmed up while the user types. Frames go to a file instead of the terminal.
/// </summary>
[TestFixture]
public class ClientSessionRenderAllocationTests
{
    [TestCase(80, 24)]
    [TestCase(200, 60)]
    public void Typing_with_predictions_shown_paints_every_frame_without_allocating(int width, int height)
    {
        string painted = Path.Combine(TestContext.CurrentContext.WorkDirectory, $"frames-{Environment.ProcessId}-{width}x{height}");
        using SafeFileHandle output = File.OpenHandle(painted, FileMode.Create, FileAccess.Write);
        // Experimental: every prediction shows at once, with no server to confirm the first echo.
        var prediction = new PredictionOverlay(DisplayPreference.Experimental, predictOverwrite: false);
        using var session = new ClientSession("127.0.0.1", "9", new Display(hasEch: true, hasBce: true, hasTitle: true),
            EscapeKeyHandler.FromSetting(null), TitlePrefix.Mosh, prediction)
        {
            FrameOutputFd = (int)output.DangerousGetHandle(),
        };
        session.Connect(SessionKey.Generate(), new WindowSize((ushort)height, (ushort)width, 0, 0));
        // A screen as the server would have sent it: a title (which the prefix overlay changes) and a prompt.
        session.Transport.LatestRemoteState.State.Write("\e]0;remote title\a$ "u8);

        // Only the render step is measured: the keystroke goes into the engine first, as the client's loop does.
        long Cycle(int i)
        {
            byte key = (byte)((i & 1) == 0 ? 'a' + ((i >> 1) % 26) : 0x7F); // a letter, then a backspace
            prediction.UserInput(new ReadOnlySpan<byte>(in key), session.Transport, MonotonicClock.Instance.NowMilliseconds);
            long before = GC.GetAllocatedBytesForCurrentThread();
            session.OutputNewFrame();
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        for (int i = 0; i < 200; i++)
        {
            _ = Cycle(i);
        }

        long allocated = 0;
        for (int i = 0; i < 1000; i++)
        {
            allocated += Cycle(i);
        }

        output.Dispose();
        string frames = File.ReadAllText(painted);
        File.Delete(painted);
        Assert.Multiple(() =>
        {
            Assert.That(allocated, Is.Zero);
            Assert.That(frames, Does.Contain("\e]0;[mosh] remote title\a"), "the title-prefix overlay was painted");
            Assert.That(frames, Does.Contain("$ "), "the server's screen was painted");
            Assert.That(frames, Does.Contain("z"), "the predicted keys were painted");
        });
    }
}
