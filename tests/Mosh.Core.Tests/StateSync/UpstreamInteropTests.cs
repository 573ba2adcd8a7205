using System.Diagnostics;
using System.Text.RegularExpressions;
using Mosh.Crypto;
using Mosh.Network;
using Mosh.StateSync;

namespace Mosh.Tests.StateSync;

/// <summary>
/// Our transports against Debian's upstream mosh 1.4.0 over loopback, both ways: as a client (a
/// <see cref="UserStream"/> out, upstream's host diffs in) typing into upstream's mosh-server and shutting it down, and
/// as a server (host diffs out, upstream's user input in) serving upstream's mosh-client in a pseudo-terminal.
/// </summary>
[TestFixture]
[NonParallelizable]
public partial class UpstreamInteropTests
{
    private const string UpstreamServer = "/usr/bin/mosh-server";
    private const string UpstreamClient = "/usr/bin/mosh-client";
    private const string Script = "/usr/bin/script";
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
        Prerequisite.RequireFiles("upstream mosh-server", UpstreamServer);
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
        // The echo ack trails the output: upstream acknowledges an input frame only once it is 50 ms old
        // (ECHO_TIMEOUT), so the command's output can arrive first.
        RunUntil(() => transport.LatestRemoteState.State.EchoAck > 0, "the server's echo ack of our input frames");

        transport.StartShutdown();
        RunUntil(() => transport.ShutdownAcknowledged, "the server's shutdown acknowledgement");
        Assert.That(transport.ShutdownAckTimedOut, Is.False);

        RunUntil(() => _serverPid is not int pid || !IsAlive(pid), "the server's exit");
    }

    [Test]
    public void UpstreamMoshClient_TypesIntoOurServerTransport_SeesOurOutput_AndExitsCleanlyOnOurShutdown()
    {
        Prerequisite.RequireFiles("upstream mosh-client or script(1)", UpstreamClient, Script);
        SessionKey key = SessionKey.Generate();
        using Connection connection = Connection.CreateServer(key, "127.0.0.1", new PortRange(0, 0), MonotonicClock.Instance);
        using var link = new TransportLink(connection);
        var transport = new Transport<HostOutputLog, UserStream>(new HostOutputLog(), new UserStream(), link, link, MonotonicClock.Instance);

        // script gives mosh-client the pseudo-terminal it insists on; stty gives that terminal a size.
        var start = new ProcessStartInfo(Script)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[] { "-qfec", $"stty cols 80 rows 24; exec {UpstreamClient} 127.0.0.1 {connection.Port}", "/dev/null" })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["MOSH_KEY"] = key.ToString();
        start.Environment["LANG"] = "C.UTF-8";
        start.Environment["TERM"] = "xterm";
        using Process client = Process.Start(start)!;
        var screen = new System.Text.StringBuilder();
        Task reader = Task.Run(() =>
        {
            var buffer = new char[4096];
            int read;
            while ((read = client.StandardOutput.Read(buffer, 0, buffer.Length)) > 0)
            {
                lock (screen)
                {
                    screen.Append(buffer, 0, read);
                }
            }
        });
        string Screen()
        {
            lock (screen)
            {
                return screen.ToString();
            }
        }

        var typed = new List<byte>();
        var resizes = new List<(int, int)>();
        var diff = new System.Buffers.ArrayBufferWriter<byte>();
        var input = new UserStream();
        ulong consumedNum = 0;
        var elapsed = Stopwatch.StartNew();
        try
        {
            void RunUntil(Func<bool> done, string what)
            {
                while (!done())
                {
                    Assert.That(elapsed.Elapsed, Is.LessThan(Deadline), $"{what} did not happen; client output so far: {Screen()}");
                    _ = link.ReceiveWaiting(transport);
                    if (transport.RemoteStateNum != consumedNum)
                    {
                        consumedNum = transport.RemoteStateNum;
                        diff.ResetWrittenCount();
                        transport.GetRemoteDiff(diff);
                        input.Clear();
                        Assert.That(input.TryApply(diff.WrittenSpan), Is.True);
                        foreach (UserEventRun run in input)
                        {
                            if (run.Kind == UserEventKind.Resize)
                            {
                                resizes.Add((run.Width, run.Height));
                            }
                            else
                            {
                                typed.AddRange(run.Keys);
                            }
                        }
                    }

                    transport.Tick();
                    _ = connection.WaitForDatagram(Math.Min(transport.WaitTime(), 20));
                }
            }

            RunUntil(() => resizes.Count > 0, "the client's opening resize");
            Assert.That(resizes[0], Is.EqualTo((80, 24)));

            client.StandardInput.Write("typed-upstream");
            client.StandardInput.Flush();
            RunUntil(() => System.Text.Encoding.ASCII.GetString(typed.ToArray()).Contains("typed-upstream", StringComparison.Ordinal),
                "the client's keystrokes");

            transport.CurrentState.Append("\r\nHELLO-FROM-DOTNET\r\n"u8);
            RunUntil(() => Screen().Contains("HELLO-FROM-DOTNET", StringComparison.Ordinal), "our output on the client's screen");

            transport.StartShutdown();
            RunUntil(() => transport.ShutdownAcknowledged || client.HasExited, "the client's shutdown acknowledgement");
            Assert.That(client.WaitForExit(10_000), Is.True, "mosh-client exits");
            reader.Wait(5_000);
            Assert.That(client.ExitCode, Is.Zero, Screen());
            Assert.That(Screen(), Does.Contain("[mosh is exiting.]"));
        }
        finally
        {
            if (!client.HasExited)
            {
                client.Kill(entireProcessTree: true);
            }
        }
    }
}
