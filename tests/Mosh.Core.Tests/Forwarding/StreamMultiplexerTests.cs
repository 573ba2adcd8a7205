using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Mosh.Forwarding;
using Mosh.Protobufs;
using Mosh.Util;

namespace Mosh.Tests.Forwarding;

/// <summary>
/// The multiplexer with real loopback sockets: a client end and a server end pumped into each other in process (the
/// state sync between them is tested on its own), and hostile frames fed straight in.
/// </summary>
[TestFixture]
public class StreamMultiplexerTests
{
    internal static byte[] Entry(uint id, StreamFrameKind kind, ReadOnlySpan<byte> data = default, ulong value = 0)
    {
        var output = new ArrayBufferWriter<byte>();
        new StreamFrame(id, kind, data, value).WriteEntry(output);
        return output.WrittenSpan.ToArray();
    }

    internal static List<(uint Id, StreamFrameKind Kind, string Text)> Frames(ReadOnlySpan<byte> entries)
    {
        var frames = new List<(uint, StreamFrameKind, string)>();
        while (StreamFramesMessage.TryReadEntry(ref entries, out ReadOnlySpan<byte> content, out _))
        {
            Assert.That(StreamFrame.TryParse(content, out StreamFrame frame), Is.True);
            frames.Add((frame.Id, frame.Kind, System.Text.Encoding.UTF8.GetString(frame.Data)));
        }

        return frames;
    }

    internal static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>One poll round of both ends, then their frames cross over.</summary>
    internal static void Pump(StreamMultiplexer client, StreamMultiplexer server, int timeoutMs = 5)
    {
        foreach (StreamMultiplexer mux in new[] { client, server })
        {
            var descriptors = new PollDescriptor[mux.DescriptorCount];
            int count = mux.AddPollDescriptors(descriptors, 0);
            _ = Poll.Wait(descriptors.AsSpan(0, count), timeoutMs);
            mux.Service(descriptors.AsSpan(0, count));
        }

        byte[] toServer = client.Outgoing.ToArray();
        client.ClearOutgoing();
        byte[] toClient = server.Outgoing.ToArray();
        server.ClearOutgoing();
        server.Receive(toServer);
        client.Receive(toClient);
    }

    [Test]
    public void A_connection_to_the_listener_is_carried_to_the_target_both_ways_with_the_same_bytes()
    {
        byte[] payload = RandomNumberGenerator.GetBytes(3 * 1024 * 1024 + 17);
        using TcpListener target = LoopbackListener.Start(out int targetPort);
        int listenPort = FreePort();
        var reports = new List<string>();
        using var client = new StreamMultiplexer(isClient: true, reports.Add) { Enabled = true };
        using var server = new StreamMultiplexer(isClient: false, reports.Add) { Enabled = true };
        Assert.That(client.Listen(new ForwardSpec("127.0.0.1", listenPort, "127.0.0.1", targetPort)), Is.True);

        // The far side: sends the payload, then reads the request until EOF.
        byte[] request = "GET /big\n"u8.ToArray();
        byte[]? requestSeen = null;
        var far = Task.Run(() =>
        {
            using Socket accepted = target.AcceptSocket();
            accepted.Send(payload);
            accepted.Shutdown(SocketShutdown.Send);
            var seen = new MemoryStream();
            byte[] buffer = new byte[4096];
            int n;
            while ((n = accepted.Receive(buffer)) > 0)
            {
                seen.Write(buffer, 0, n);
            }

            requestSeen = seen.ToArray();
        });

        using var local = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        local.Connect(IPAddress.Loopback, listenPort);
        local.Send(request);
        local.Shutdown(SocketShutdown.Send);
        local.Blocking = false;
        var received = new MemoryStream();
        byte[] readBuffer = new byte[65536];
        var clock = Stopwatch.StartNew();
        bool eof = false;
        while (!eof && clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            Pump(client, server);
            while (true)
            {
                int n = local.Receive(readBuffer, SocketFlags.None, out SocketError error);
                if (error == SocketError.WouldBlock)
                {
                    break;
                }

                if (n == 0)
                {
                    eof = true;
                    break;
                }

                received.Write(readBuffer, 0, n);
            }
        }

        Assert.That(far.Wait(TimeSpan.FromSeconds(30)), Is.True, "the far side saw the request end");
        for (int i = 0; i < 50 && (client.StreamCount > 0 || server.StreamCount > 0); i++)
        {
            Pump(client, server);
        }

        Assert.Multiple(() =>
        {
            Assert.That(eof, Is.True, "the forwarded connection reached end of file");
            Assert.That(SHA256.HashData(received.ToArray()), Is.EqualTo(SHA256.HashData(payload)));
            Assert.That(requestSeen, Is.EqualTo(request));
            Assert.That(client.StreamCount, Is.Zero, "the finished stream is gone on the client");
            Assert.That(server.StreamCount, Is.Zero, "and on the server");
            Assert.That(reports, Is.Empty);
        });
    }

    [Test]
    public void A_refused_connect_closes_the_local_connection_and_is_reported_once()
    {
        int closedPort = FreePort();
        int listenPort = FreePort();
        var reports = new List<string>();
        using var client = new StreamMultiplexer(isClient: true, reports.Add) { Enabled = true };
        using var server = new StreamMultiplexer(isClient: false, _ => { }) { Enabled = true };
        Assert.That(client.Listen(new ForwardSpec("127.0.0.1", listenPort, "127.0.0.1", closedPort)), Is.True);
        using var local = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        local.Connect(IPAddress.Loopback, listenPort);
        local.ReceiveTimeout = 100;
        bool closed = false;
        var clock = Stopwatch.StartNew();
        while (!closed && clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            Pump(client, server);
            try
            {
                closed = local.Receive(new byte[16]) == 0;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut)
            {
            }
            catch (SocketException)
            {
                closed = true;
            }
        }

        Pump(client, server);
        Assert.Multiple(() =>
        {
            Assert.That(closed, Is.True, "the local connection is closed, not left hanging");
            Assert.That(reports, Has.Count.EqualTo(1));
            Assert.That(reports[0], Does.Contain($"127.0.0.1:{closedPort}").And.Contain("failed"));
            Assert.That(client.StreamCount, Is.Zero);
        });
    }

    [Test]
    public void Frames_for_streams_never_opened_are_dropped_without_an_answer()
    {
        using var server = new StreamMultiplexer(isClient: false, _ => { }) { Enabled = true };
        server.Receive([.. Entry(5, StreamFrameKind.Data, "x"u8), .. Entry(7, StreamFrameKind.Reset), .. Entry(9, StreamFrameKind.Close),
            .. Entry(11, StreamFrameKind.Window, value: 1000)]);
        Assert.That(server.Outgoing.IsEmpty, Is.True);
        Assert.That(server.StreamCount, Is.Zero);
    }

    [Test]
    public void Garbage_entries_are_skipped_and_the_frames_after_them_still_count()
    {
        using TcpListener target = LoopbackListener.Start(out int port);
        using var server = new StreamMultiplexer(isClient: false, _ => { }) { Enabled = true };
        byte[] garbage = [0x12, 0x03, 0xff, 0xff, 0xff]; // an entry whose content is no frame
        server.Receive([.. garbage, .. Entry(1, StreamFrameKind.Open, System.Text.Encoding.UTF8.GetBytes($"127.0.0.1:{port}"))]);
        Assert.That(server.StreamCount, Is.EqualTo(1));
    }

    [Test]
    public void Data_past_the_window_resets_the_stream()
    {
        using TcpListener target = LoopbackListener.Start(out int port);
        using var server = new StreamMultiplexer(isClient: false, _ => { }) { Enabled = true };
        server.Receive(Entry(1, StreamFrameKind.Open, System.Text.Encoding.UTF8.GetBytes($"127.0.0.1:{port}")));
        Assert.That(server.StreamCount, Is.EqualTo(1));

        // Nobody reads on the far side and the stream may still be connecting: the data waits in the buffer, which
        // the window bounds; one byte more than the window is a peer breaking the protocol.
        byte[] chunk = new byte[StreamMultiplexer.Window / 4];
        for (int i = 0; i < 4; i++)
        {
            server.Receive(Entry(1, StreamFrameKind.Data, chunk));
        }

        server.ClearOutgoing();
        server.Receive(Entry(1, StreamFrameKind.Data, new byte[StreamMultiplexer.Window]));
        Assert.That(Frames(server.Outgoing), Has.Some.Matches<(uint Id, StreamFrameKind Kind, string Text)>(f =>
            f.Id == 1 && f.Kind == StreamFrameKind.Reset));
        Assert.That(server.StreamCount, Is.Zero);
    }

    [Test]
    public void Resetting_the_streams_after_lost_data_tells_the_peer_about_each_of_them_once()
    {
        using TcpListener target = LoopbackListener.Start(out int port);
        using var server = new StreamMultiplexer(isClient: false, _ => { }) { Enabled = true };
        server.Receive([.. Entry(1, StreamFrameKind.Open, System.Text.Encoding.UTF8.GetBytes($"127.0.0.1:{port}")),
            .. Entry(3, StreamFrameKind.Open, System.Text.Encoding.UTF8.GetBytes($"127.0.0.1:{port}"))]);
        Assert.That(server.StreamCount, Is.EqualTo(2));
        server.ClearOutgoing();

        server.ResetStreams("lost");

        Assert.That(server.StreamCount, Is.Zero);
        Assert.That(Frames(server.Outgoing).Where(f => f.Kind == StreamFrameKind.Reset).Select(f => f.Id), Is.EquivalentTo(new uint[] { 1, 3 }));
        server.ClearOutgoing();
        server.ResetStreams("again");
        Assert.That(server.Outgoing.IsEmpty, Is.True, "nothing open, nothing to tell");
    }

    [Test]
    public void The_client_refuses_an_open_from_the_server()
    {
        using var client = new StreamMultiplexer(isClient: true, _ => { }) { Enabled = true };
        client.Receive(Entry(2, StreamFrameKind.Open, "127.0.0.1:22"u8));
        Assert.That(Frames(client.Outgoing), Is.EqualTo(new[] { (2u, StreamFrameKind.Reset, "the client did not ask for this forwarding") }));
        Assert.That(client.StreamCount, Is.Zero);
    }

    [Test]
    public void An_open_with_an_id_of_the_wrong_parity_is_dropped()
    {
        using var server = new StreamMultiplexer(isClient: false, _ => { }) { Enabled = true };
        server.Receive(Entry(2, StreamFrameKind.Open, "127.0.0.1:22"u8));
        Assert.That(server.StreamCount, Is.Zero);
        Assert.That(server.Outgoing.IsEmpty, Is.True);
    }

    [Test]
    public void A_port_already_taken_is_reported_and_not_fatal()
    {
        using TcpListener taken = LoopbackListener.Start(out int port);
        var reports = new List<string>();
        using var client = new StreamMultiplexer(isClient: true, reports.Add);
        Assert.That(client.Listen(new ForwardSpec("127.0.0.1", port, "h", 1)), Is.False);
        Assert.That(reports, Has.Count.EqualTo(1));
        Assert.That(reports[0], Does.Contain($"127.0.0.1:{port}"));
    }
}
