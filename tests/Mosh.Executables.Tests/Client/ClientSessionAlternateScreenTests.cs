using System.Buffers;
using System.Text;
using Microsoft.Win32.SafeHandles;
using Mosh.Client;
using Mosh.Crypto;
using Mosh.Network;
using Mosh.Prediction;
using Mosh.Protobufs;
using Mosh.StateSync;
using Mosh.Terminal;
using Mosh.Util;

namespace Mosh.Tests.Client;

/// <summary>
/// With a server that sends history, mosh-client shows the user's terminal's primary screen (whose scrollback keeps
/// the history) while the server's terminal shows its primary screen, and the terminal's alternate screen (smcup)
/// while the server's does, so full-screen programs stay out of the local scrollback. History lines that scrolled
/// off before the switch go into the scrollback first; lines arriving on the alternate screen wait for the primary.
/// Without smcup (--no-init) the client never switches. Frames go to a file instead of the terminal.
/// </summary>
[TestFixture]
public class ClientSessionAlternateScreenTests
{
    private const string Smcup = "\e[?1049h";
    private const string Rmcup = "\e[?1049l";

    private sealed class Harness : IDisposable
    {
        private readonly string _path;
        private readonly SafeFileHandle _output;
        private long _read;

        public Harness(bool withCaMode)
        {
            _path = Path.Combine(TestContext.CurrentContext.WorkDirectory, $"altscreen-{Environment.ProcessId}-{Guid.NewGuid():N}");
            _output = File.OpenHandle(_path, FileMode.Create, FileAccess.Write);
            Display display = withCaMode
                ? new Display(hasEch: true, hasBce: true, hasTitle: false, enterCaMode: Smcup, exitCaMode: Rmcup)
                : new Display(hasEch: true, hasBce: true, hasTitle: false);
            Session = new ClientSession("127.0.0.1", "9", display, EscapeKeyHandler.FromSetting(null), null,
                new PredictionOverlay(DisplayPreference.Never, predictOverwrite: false))
            {
                FrameOutputFd = (int)_output.DangerousGetHandle(),
            };
            Session.Connect(SessionKey.Generate(), new WindowSize(24, 80, 0, 0));
            Server = CompleteTerminal.ForServer(80, 24, new HistoryRing(1000));
            Server.AnswerHello(ClientSession.AnnouncedCapabilities, WireCapabilities.History | WireCapabilities.SessionNotices);
            _ = Painted(); // the first blank frame
        }

        public ClientSession Session { get; }

        public CompleteTerminal Server { get; }

        private CompleteTerminal Client => Session.Transport.LatestRemoteState.State;

        /// <summary>The server's state reaches the client (as one diff) and the client paints; returns what it wrote.</summary>
        public string Sync()
        {
            var diff = new ArrayBufferWriter<byte>();
            Server.DiffFrom(Client, diff);
            Assert.That(Client.TryApply(diff.WrittenSpan), Is.True);
            Session.OutputNewFrame();
            return Painted();
        }

        private string Painted()
        {
            byte[] all = File.ReadAllBytes(_path);
            string text = Encoding.UTF8.GetString(all, (int)_read, (int)(all.Length - _read));
            _read = all.Length;
            return text;
        }

        public void Dispose()
        {
            Session.Dispose();
            _output.Dispose();
            File.Delete(_path);
        }
    }

    private static string Lines(int from, int count) =>
        string.Concat(Enumerable.Range(from, count).Select(i => $"line-{i}\r\n"));

    [Test]
    public void The_terminal_follows_the_servers_screen_and_history_goes_into_the_primary_screens_scrollback_only()
    {
        using var harness = new Harness(withCaMode: true);
        harness.Server.Write(Encoding.ASCII.GetBytes(Lines(1, 30)));
        string connected = harness.Sync();
        Assert.Multiple(() =>
        {
            Assert.That(connected, Does.StartWith(Rmcup), "history agreed: off the alternate screen the client opened with");
            Assert.That(connected, Does.Contain("line-7"), "the lines that scrolled off are written");
            Assert.That(connected, Does.Not.Contain(Smcup));
        });

        // Lines scroll off, then vim starts, in one frame: the lines go in on the primary screen, then the switch.
        harness.Server.Write(Encoding.ASCII.GetBytes(Lines(31, 3) + Smcup + "vim-marker"));
        string enter = harness.Sync();
        Assert.Multiple(() =>
        {
            Assert.That(enter, Does.Contain(Smcup));
            Assert.That(enter.IndexOf("line-10", StringComparison.Ordinal), Is.GreaterThanOrEqualTo(0)
                .And.LessThan(enter.IndexOf(Smcup, StringComparison.Ordinal)), "history before the switch");
            Assert.That(enter.IndexOf("vim-marker", StringComparison.Ordinal), Is.GreaterThan(enter.IndexOf(Smcup, StringComparison.Ordinal)),
                "the alternate screen is drawn after the switch");
        });

        harness.Server.Write("\e[2;1Hmore"u8);
        string inVim = harness.Sync();
        Assert.That(inVim, Does.Not.Contain(Smcup).And.Not.Contain(Rmcup), "no switch while the server stays there");

        harness.Server.Write(Encoding.ASCII.GetBytes(Rmcup + Lines(34, 2)));
        string leave = harness.Sync();
        Assert.Multiple(() =>
        {
            Assert.That(leave, Does.StartWith(Rmcup), "back to the primary screen first");
            Assert.That(leave, Does.Contain("line-12"), "lines that scrolled off after vim go into the scrollback");
            Assert.That(leave, Does.Not.Contain("vim-marker"));
        });
    }

    [Test]
    public void Without_smcup_the_client_never_switches_screens()
    {
        using var harness = new Harness(withCaMode: false);
        harness.Server.Write(Encoding.ASCII.GetBytes(Lines(1, 30)));
        string connected = harness.Sync();
        harness.Server.Write(Encoding.ASCII.GetBytes(Smcup + "vim-marker"));
        string enter = harness.Sync();
        harness.Server.Write(Encoding.ASCII.GetBytes(Rmcup + "$ "));
        string leave = harness.Sync();
        Assert.Multiple(() =>
        {
            Assert.That(connected + enter + leave, Does.Not.Contain("\e[?1049"), "--no-init keeps its meaning");
            Assert.That(enter, Does.Contain("vim-marker"), "the program draws on the primary screen");
            Assert.That(connected, Does.Contain("line-7"), "history still goes into the scrollback");
        });
    }
}
