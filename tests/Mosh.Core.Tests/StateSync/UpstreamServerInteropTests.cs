using System.Diagnostics;
using System.Text.RegularExpressions;
using Mosh.Crypto;
using Mosh.Network;
using Mosh.StateSync;

namespace Mosh.Tests.StateSync;

/// <summary>
/// Our client-side transport (a <see cref="UserStream"/> out, upstream's host diffs in) against Debian's upstream
/// mosh-server 1.4.0 over loopback: typing reaches its shell, the output comes back, and the shutdown handshake ends
/// the server.
/// </summary>
[TestFixture]
[NonParallelizable]
public partial class UpstreamServerInteropTests
{
    private const string UpstreamServer = "/usr/bin/mosh-server";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private int? _serverPid;

    [GeneratedRegex(@"^MOSH CONNECT (\d+) ([A-Za-z0-9/+]{22})\s*$", RegexOptions.Multiline)]
    private static partial Regex ConnectLine();

    [GeneratedRegex(@"\[mosh-server detached, pid = (\d+)\]")]
    private static partial Regex DetachedLine();

    [TearDown]
    public void TearDown()
    {
        if (_serverPid is int pid && IsAlive(pid))
        {
            using Process server = Process.GetProcessById(pid);
            server.Kill();
        }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using Process process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>Starts a detached upstream server on an ephemeral loopback port; returns its port and key.</summary>
    private (string Port, SessionKey Key) StartUpstreamServer()
    {
        var start = new ProcessStartInfo(UpstreamServer)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[] { "new", "-i", "127.0.0.1", "-p", "0", "--", "/bin/sh" })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["LANG"] = "C.UTF-8";
        start.Environment["MOSH_SERVER_NETWORK_TMOUT"] = "30"; // never outlives a failed test for long
        using Process launcher = Process.Start(start)!;
        launcher.StandardInput.Close();
        string stdout = launcher.StandardOutput.ReadToEnd();
        string stderr = launcher.StandardError.ReadToEnd();
        launcher.WaitForExit();

        Match detached = DetachedLine().Match(stderr);
        if (detached.Success)
        {
            _serverPid = int.Parse(detached.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        }

        Match connect = ConnectLine().Match(stdout);
        Assert.That(connect.Success, Is.True, $"mosh-server said: {stdout}{stderr}");
        return (connect.Groups[1].Value, SessionKey.Parse(connect.Groups[2].Value));
    }

    [Test]
    public void OurClientTransport_TypesIntoUpstreamMoshServer_SeesTheOutput_AndShutsItDown()
    {
        Assume.That(File.Exists(UpstreamServer), "upstream mosh-server is not installed");
        (string port, SessionKey key) = StartUpstreamServer();
        using Connection connection = Connection.CreateClient(key, "127.0.0.1", port, MonotonicClock.Instance);
        using var link = new TransportLink(connection);
        var transport = new Transport<UserStream, HostOutputLog>(new UserStream(), new HostOutputLog(), link, link, MonotonicClock.Instance)
        {
            SendMinDelay = TransportConstants.CLIENT_SEND_MINDELAY,
        };
        var elapsed = Stopwatch.StartNew();

        void RunUntil(Func<bool> done, string what)
        {
            while (!done())
            {
                Assert.That(elapsed.Elapsed, Is.LessThan(Deadline), $"{what} did not happen; screen so far: {transport.LatestRemoteState.State.Text}");
                _ = link.ReceiveWaiting(transport);
                transport.Tick();
                _ = connection.WaitForDatagram(Math.Min(transport.WaitTime(), 20));
            }
        }

        transport.CurrentState.PushResize(80, 24); // upstream's client opens with its window size
        RunUntil(() => transport.RemoteStateNum > 0, "the server's first frame");

        transport.CurrentState.PushKeystrokes("echo interop-$((6*7))\r"u8);
        RunUntil(() => transport.LatestRemoteState.State.Text.Contains("interop-42", StringComparison.Ordinal), "the command's output");
        RunUntil(() => transport.SentStateAcked == transport.SentStateLast, "the acknowledgement of our typing");
        Assert.That(transport.LatestRemoteState.State.EchoAck, Is.GreaterThan(0UL), "the server acknowledged our input frames");

        transport.StartShutdown();
        RunUntil(() => transport.ShutdownAcknowledged, "the server's shutdown acknowledgement");
        Assert.That(transport.ShutdownAckTimedOut, Is.False);

        RunUntil(() => _serverPid is not int pid || !IsAlive(pid), "the server's exit");
    }
}
