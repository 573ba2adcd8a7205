using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Mosh.Forwarding;

namespace Mosh.Tests.Forwarding;

/// <summary>
/// A forwarding target named by a host name is looked up off the event loop (a slow DNS server must not freeze the
/// terminal): the stream waits, data from the peer is kept for it, and once the lookup wakes the loop it connects.
/// </summary>
[TestFixture]
public class StreamMultiplexerResolutionTests
{
    [Test]
    public void A_target_given_by_name_is_looked_up_off_the_loop_and_gets_the_data_sent_before_it_connected()
    {
        // Dual-stack, so "localhost" reaches it whichever of ::1 and 127.0.0.1 comes first.
        using var target = new TcpListener(IPAddress.IPv6Any, 0);
        target.Server.DualMode = true;
        target.Start();
        int targetPort = ((IPEndPoint)target.LocalEndpoint).Port;
        int listenPort = StreamMultiplexerTests.FreePort();
        var reports = new List<string>();
        using var client = new StreamMultiplexer(isClient: true, reports.Add) { Enabled = true };
        using var server = new StreamMultiplexer(isClient: false, reports.Add) { Enabled = true };
        Assert.That(client.Listen(new ForwardSpec("127.0.0.1", listenPort, "localhost", targetPort)), Is.True);

        using var local = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        local.Connect(IPAddress.Loopback, listenPort);
        local.Send("hello through a name\n"u8);
        local.Shutdown(SocketShutdown.Send);

        Task<byte[]> far = Task.Run(() =>
        {
            using Socket accepted = target.AcceptSocket();
            var seen = new MemoryStream();
            byte[] buffer = new byte[256];
            int n;
            while ((n = accepted.Receive(buffer)) > 0)
            {
                seen.Write(buffer, 0, n);
            }

            return seen.ToArray();
        });

        // One round: the client accepts and sends the Open with the data; the server starts the lookup and goes on.
        StreamMultiplexerTests.Pump(client, server);
        Assert.That(server.StreamCount, Is.EqualTo(1));
        Assert.That(server.StreamsResolving, Is.EqualTo(1), "the server did not wait for the lookup off its loop");

        var clock = Stopwatch.StartNew();
        while (!far.IsCompleted && clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            StreamMultiplexerTests.Pump(client, server);
        }

        Assert.Multiple(() =>
        {
            Assert.That(far.IsCompleted, Is.True, "the target never got the connection's end");
            Assert.That(far.Result, Is.EqualTo("hello through a name\n"u8.ToArray()));
            Assert.That(reports, Is.Empty);
        });
    }

    [Test]
    public void A_name_that_cannot_be_looked_up_resets_the_stream_and_is_reported_once()
    {
        int listenPort = StreamMultiplexerTests.FreePort();
        var reports = new List<string>();
        using var client = new StreamMultiplexer(isClient: true, reports.Add) { Enabled = true };
        using var server = new StreamMultiplexer(isClient: false, _ => { }) { Enabled = true };
        // Not a valid name at all: the lookup fails without asking any DNS server, so the test does not depend on one.
        Assert.That(client.Listen(new ForwardSpec("127.0.0.1", listenPort, "bad name..", 80)), Is.True);
        using var local = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        local.Connect(IPAddress.Loopback, listenPort);

        var clock = Stopwatch.StartNew();
        while ((reports.Count == 0 || client.StreamCount > 0 || server.StreamCount > 0) && clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            StreamMultiplexerTests.Pump(client, server);
        }

        Assert.Multiple(() =>
        {
            Assert.That(reports, Has.Count.EqualTo(1));
            Assert.That(reports[0], Does.Contain("connect to bad name..:80 failed"));
            Assert.That(client.StreamCount, Is.Zero);
            Assert.That(server.StreamCount, Is.Zero);
        });
    }
}
