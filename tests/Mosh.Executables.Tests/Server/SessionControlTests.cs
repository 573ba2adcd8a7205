using System.Net.Sockets;
using System.Text;
using Mosh.Server;

namespace Mosh.Tests.Server;

/// <summary>
/// A session stays attachable when its socket's name vanishes under it (logind removes XDG_RUNTIME_DIR at the user's
/// last logout, or a cleaner empties /tmp): at its next check it listens again, in the fallback directory when the
/// runtime directory is gone, and answers requests there. Real sockets, real directories.
/// </summary>
[TestFixture]
[NonParallelizable]
public class SessionControlTests
{
    // Not a live process id (above the kernel's 2^22 maximum), so no real session's socket is touched.
    private const int FakePid = 4_300_000;

    private string _runtime = "";
    private SessionControl? _control;

    [SetUp]
    public void CreateRuntimeDirectory()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Ignore("control sockets are POSIX");
        }

        _runtime = Directory.CreateTempSubdirectory("mosh-control-").FullName;
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_runtime, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    [TearDown]
    public void Cleanup()
    {
        _control?.Dispose();
        if (Directory.Exists(_runtime))
        {
            Directory.Delete(_runtime, recursive: true);
        }
    }

    [Test]
    public void A_session_listens_in_the_runtime_directory_and_answers_a_request()
    {
        _control = Start(0);
        Assert.That(_control.Listener?.SocketPath, Is.EqualTo(Path.Combine(_runtime, "mosh", $"{FakePid}.sock")));
        Assert.That(Ask(_control, "list"), Is.EqualTo("ok answered list"));
    }

    [Test]
    public void When_the_runtime_directory_is_removed_the_session_listens_again_in_the_fallback_at_its_next_check()
    {
        _control = Start(0);
        string first = _control.Listener!.SocketPath;
        Directory.Delete(_runtime, recursive: true);

        _control.KeepListening(SessionControl.RecheckIntervalMs - 1);
        Assert.That(_control.Listener!.SocketPath, Is.EqualTo(first), "re-checked before its interval");

        _control.KeepListening(SessionControl.RecheckIntervalMs);
        string fallback = Path.Combine(ControlDirectory.Fallback(FileStatus.CurrentUid), $"{FakePid}.sock");
        Assert.That(_control.Listener?.SocketPath, Is.EqualTo(fallback));
        Assert.That(File.Exists(fallback), "no socket in the fallback directory");
        Assert.That(Ask(_control, "attach"), Is.EqualTo("ok answered attach"));
    }

    [Test]
    public void When_only_the_socket_is_removed_the_session_listens_again_under_the_same_name()
    {
        _control = Start(0);
        string path = _control.Listener!.SocketPath;
        File.Delete(path);

        _control.KeepListening(SessionControl.RecheckIntervalMs);
        Assert.That(_control.Listener?.SocketPath, Is.EqualTo(path));
        Assert.That(Ask(_control, "kill"), Is.EqualTo("ok answered kill"));
    }

    [Test]
    public void A_socket_still_in_place_is_kept_and_not_replaced()
    {
        _control = Start(0);
        ControlListener? before = _control.Listener;
        _control.KeepListening(SessionControl.RecheckIntervalMs);
        Assert.That(_control.Listener, Is.SameAs(before));
        Assert.That(_control.WaitTime(SessionControl.RecheckIntervalMs), Is.EqualTo(SessionControl.RecheckIntervalMs),
            "the next check is not a full interval away");
    }

    private SessionControl Start(long now)
    {
        var problems = new List<string>();
        var control = new SessionControl(FakePid, null,
            name => name == "XDG_RUNTIME_DIR" ? _runtime : null, problems.Add, now);
        Assert.That(control.Listener, Is.Not.Null, string.Join("\n", problems));
        return control;
    }

    /// <summary>Sends one request line as <c>mosh-server</c> would and answers it as the session's loop does.</summary>
    private static string Ask(SessionControl control, string request)
    {
        using var asker = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        asker.Connect(new UnixDomainSocketEndPoint(control.Listener!.SocketPath));
        asker.Send(Encoding.ASCII.GetBytes(request + "\n"));

        var deadline = DateTime.UtcNow.AddSeconds(10);
        Socket? connection = null;
        ControlRequest taken = default;
        while (DateTime.UtcNow < deadline && !control.Listener!.TryTake(out connection, out taken))
        {
            Thread.Sleep(10);
        }

        Assert.That(connection, Is.Not.Null, "the request never reached the session");
        ControlListener.Reply(connection!, "ok answered " + taken);
        asker.ReceiveTimeout = 10000;
        var reply = new StringBuilder();
        var buffer = new byte[256];
        int n;
        while ((n = asker.Receive(buffer)) > 0)
        {
            reply.Append(Encoding.ASCII.GetString(buffer, 0, n));
        }

        return reply.ToString().TrimEnd('\n');
    }
}
