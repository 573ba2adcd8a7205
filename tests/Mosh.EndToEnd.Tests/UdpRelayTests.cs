using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Mosh.EndToEnd.Harness;

namespace Mosh.EndToEnd;

/// <summary>The relay itself, with plain UDP sockets on both sides.</summary>
[TestFixture]
internal sealed class UdpRelayTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Test]
    public async Task Forwards_both_ways_and_replies_reach_the_client()
    {
        using var server = new UdpPeer();
        using var client = new UdpPeer();
        using var relay = UdpRelay.Start(server.Port);

        client.SendTo(relay.Port, "ping"u8);
        (byte[] request, IPEndPoint from) = await server.ReceiveAsync(Wait);
        server.SendTo(from.Port, "pong"u8);
        (byte[] reply, IPEndPoint replyFrom) = await client.ReceiveAsync(Wait);

        Assert.Multiple(() =>
        {
            Assert.That(request, Is.EqualTo("ping"u8.ToArray()));
            Assert.That(from.Port, Is.EqualTo(relay.ServerFacingPort));
            Assert.That(reply, Is.EqualTo("pong"u8.ToArray()));
            Assert.That(replyFrom.Port, Is.EqualTo(relay.Port));
            Assert.That(relay.ToServerCounters.Delivered, Is.EqualTo(1));
            Assert.That(relay.ToClientCounters.Delivered, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Inspector_sees_every_datagram_with_its_direction()
    {
        using var server = new UdpPeer();
        using var client = new UdpPeer();
        using var relay = UdpRelay.Start(server.Port);
        var seen = new System.Collections.Concurrent.ConcurrentQueue<(RelayDirection, string)>();
        relay.Inspector = (direction, datagram) => seen.Enqueue((direction, System.Text.Encoding.ASCII.GetString(datagram)));
        relay.ToServer = new RelayImpairment { LossProbability = 1 };

        client.SendTo(relay.Port, "a"u8);
        client.SendTo(relay.Port, "b"u8);
        await Poll.UntilAsync(() => seen.Count == 2, Wait, "two inspected datagrams");

        Assert.That(seen, Is.EqualTo(new[] { (RelayDirection.ToServer, "a"), (RelayDirection.ToServer, "b") }), "inspected before the loss");
        Assert.That(relay.ToServerCounters.Dropped, Is.EqualTo(2));
    }

    [Test]
    public async Task Delay_holds_each_datagram_at_least_the_configured_time()
    {
        using var server = new UdpPeer();
        using var client = new UdpPeer();
        using var relay = UdpRelay.Start(server.Port);
        relay.ToServer = new RelayImpairment { DelayMs = 200 };

        var clock = Stopwatch.StartNew();
        client.SendTo(relay.Port, "x"u8);
        await server.ReceiveAsync(Wait);

        Assert.That(clock.Elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(195)));
    }

    [Test]
    public async Task Loss_drops_about_the_configured_share_and_counts_it()
    {
        using var server = new UdpPeer();
        using var client = new UdpPeer();
        using var relay = UdpRelay.Start(server.Port, seed: 7);
        relay.ToServer = new RelayImpairment { LossProbability = 0.3 };

        for (int i = 0; i < 300; i++)
        {
            client.SendTo(relay.Port, [(byte)i]);
            if (i % 25 == 24)
            {
                // Paced so the kernel's socket buffers never overflow: all loss is the relay's.
                int sent = i + 1;
                await Poll.UntilAsync(() => relay.ToServerCounters.Received == sent, Wait, $"{sent} datagrams at the relay");
            }
        }
        RelayCounters counters = relay.ToServerCounters;
        await Poll.UntilAsync(() => server.Count == counters.Delivered, Wait, "the survivors at the server");

        Assert.That(counters.Dropped, Is.InRange(50, 130));
        Assert.That(counters.Dropped + counters.Delivered, Is.EqualTo(300));
    }

    [Test]
    public async Task Duplication_delivers_copies()
    {
        using var server = new UdpPeer();
        using var client = new UdpPeer();
        using var relay = UdpRelay.Start(server.Port);
        relay.ToServer = new RelayImpairment { DuplicateProbability = 1 };

        client.SendTo(relay.Port, "dup"u8);

        Assert.That((await server.ReceiveAsync(Wait)).Data, Is.EqualTo("dup"u8.ToArray()));
        Assert.That((await server.ReceiveAsync(Wait)).Data, Is.EqualTo("dup"u8.ToArray()));
        Assert.That(relay.ToServerCounters.Duplicated, Is.EqualTo(1));
    }

    // Spans far wider than the 2 ms sending gaps, so a slow (busy) sender still sees reordering.
    [TestCase(150.0, 0.0, TestName = "Jitter_reorders_datagrams")]
    [TestCase(0.0, 0.3, TestName = "Explicit_reordering_lets_later_datagrams_overtake")]
    public async Task Reordering(double jitterMs, double reorderProbability)
    {
        using var server = new UdpPeer();
        using var client = new UdpPeer();
        using var relay = UdpRelay.Start(server.Port, seed: 3);
        relay.ToServer = new RelayImpairment { DelayMs = 5, JitterMs = jitterMs, ReorderProbability = reorderProbability, ReorderHoldMs = 200 };

        var received = new List<byte>();
        for (int i = 0; i < 40; i++)
        {
            client.SendTo(relay.Port, [(byte)i]);
            await Task.Delay(2);
        }
        for (int i = 0; i < 40; i++)
        {
            received.Add((await server.ReceiveAsync(Wait)).Data[0]);
        }

        Assert.That(received, Is.EquivalentTo(Enumerable.Range(0, 40).Select(i => (byte)i)));
        Assert.That(received, Is.Not.Ordered);
        Assert.That(relay.ToServerCounters.Reordered, Is.GreaterThan(0));
    }

    [Test]
    public async Task Blackout_drops_everything_until_switched_off()
    {
        using var server = new UdpPeer();
        using var client = new UdpPeer();
        using var relay = UdpRelay.Start(server.Port);

        relay.Blackout = true;
        client.SendTo(relay.Port, "lost"u8);
        await Poll.UntilAsync(() => relay.ToServerCounters.BlackedOut == 1, Wait, "the blacked-out datagram");
        relay.Blackout = false;
        client.SendTo(relay.Port, "kept"u8);

        Assert.That((await server.ReceiveAsync(Wait)).Data, Is.EqualTo("kept"u8.ToArray()));
        Assert.That(server.Count, Is.Zero);
    }

    [Test]
    public async Task Timed_blackout_ends_by_itself()
    {
        using var server = new UdpPeer();
        using var client = new UdpPeer();
        using var relay = UdpRelay.Start(server.Port);

        relay.BlackoutFor(TimeSpan.FromMilliseconds(300));
        Assert.That(relay.Blackout, Is.True);
        await Poll.UntilAsync(() => !relay.Blackout, Wait, "the blackout to end");
        client.SendTo(relay.Port, "after"u8);

        Assert.That((await server.ReceiveAsync(Wait)).Data, Is.EqualTo("after"u8.ToArray()));
    }

    [Test]
    public async Task Roaming_moves_the_source_port_and_old_ports_still_reach_the_client()
    {
        using var server = new UdpPeer();
        using var client = new UdpPeer();
        using var relay = UdpRelay.Start(server.Port);

        client.SendTo(relay.Port, "1"u8);
        IPEndPoint first = (await server.ReceiveAsync(Wait)).From;
        int newPort = await relay.RoamAsync();
        client.SendTo(relay.Port, "2"u8);
        IPEndPoint second = (await server.ReceiveAsync(Wait)).From;
        server.SendTo(first.Port, "to-old"u8);
        server.SendTo(second.Port, "to-new"u8);

        string[] replies =
        [
            System.Text.Encoding.ASCII.GetString((await client.ReceiveAsync(Wait)).Data),
            System.Text.Encoding.ASCII.GetString((await client.ReceiveAsync(Wait)).Data),
        ];

        Assert.Multiple(() =>
        {
            Assert.That(second.Port, Is.Not.EqualTo(first.Port));
            Assert.That(second.Port, Is.EqualTo(newPort));
            Assert.That(replies, Is.EquivalentTo(new[] { "to-old", "to-new" }));
            Assert.That(relay.Roams, Is.EqualTo(1));
            Assert.That(relay.ServerFacingPortsAnswered, Is.EqualTo(2));
        });
    }

    [Test]
    public async Task Periodic_roaming_switches_ports_on_its_own()
    {
        using var server = new UdpPeer();
        using var relay = UdpRelay.Start(server.Port);

        relay.RoamInterval = TimeSpan.FromMilliseconds(100);

        await Poll.UntilAsync(() => relay.Roams >= 3, Wait, "three roams");
    }

    [Test]
    public async Task Injected_datagrams_reach_either_side()
    {
        using var server = new UdpPeer();
        using var client = new UdpPeer();
        using var relay = UdpRelay.Start(server.Port);
        client.SendTo(relay.Port, "hello"u8);
        await server.ReceiveAsync(Wait);

        await relay.InjectAsync(RelayDirection.ToServer, "garbage"u8);
        await relay.InjectAsync(RelayDirection.ToClient, "replay"u8);

        Assert.That((await server.ReceiveAsync(Wait)).Data, Is.EqualTo("garbage"u8.ToArray()));
        Assert.That((await client.ReceiveAsync(Wait)).Data, Is.EqualTo("replay"u8.ToArray()));
        Assert.That(relay.ToServerCounters.Injected, Is.EqualTo(1));
        Assert.That(relay.ToClientCounters.Injected, Is.EqualTo(1));
    }

    /// <summary>A UDP endpoint on 127.0.0.1 that queues what it receives.</summary>
    private sealed class UdpPeer : IDisposable
    {
        private readonly Socket socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        private readonly System.Threading.Channels.Channel<(byte[] Data, IPEndPoint From)> inbox =
            System.Threading.Channels.Channel.CreateUnbounded<(byte[], IPEndPoint)>();
        private readonly CancellationTokenSource stop = new();

        public UdpPeer()
        {
            socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            _ = Task.Run(ReceiveLoopAsync);
        }

        public int Port => ((IPEndPoint)socket.LocalEndPoint!).Port;

        public int Count => inbox.Reader.Count;

        public void SendTo(int port, ReadOnlySpan<byte> data) => socket.SendTo(data, new IPEndPoint(IPAddress.Loopback, port));

        public async Task<(byte[] Data, IPEndPoint From)> ReceiveAsync(TimeSpan timeout)
        {
            using var cts = new CancellationTokenSource(timeout);
            return await inbox.Reader.ReadAsync(cts.Token);
        }

        private async Task ReceiveLoopAsync()
        {
            var buffer = new byte[65536];
            try
            {
                while (true)
                {
                    SocketReceiveFromResult result = await socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), stop.Token);
                    inbox.Writer.TryWrite((buffer.AsSpan(0, result.ReceivedBytes).ToArray(), (IPEndPoint)result.RemoteEndPoint));
                }
            }
            catch (OperationCanceledException)
            {
            }
            catch (ObjectDisposedException)
            {
            }
            catch (SocketException)
            {
            }
        }

        public void Dispose()
        {
            stop.Cancel();
            socket.Dispose();
            stop.Dispose();
        }
    }
}
