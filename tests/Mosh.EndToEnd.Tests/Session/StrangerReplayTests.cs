using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Mosh.EndToEnd.Harness;

namespace Mosh.EndToEnd.Session;

/// <summary>
/// A stranger who captured the client's genuine datagrams replays them from another address, and floods the server
/// with garbage: the session goes on undisturbed and the server keeps sending to the real client. A replay is
/// authentic but old, and only an authentic datagram newer than any before it may move the server (roaming), so
/// not one datagram may reach the stranger. Upstream's server is held to the same rule in the same test.
/// </summary>
[TestFixture]
[NonParallelizable]
public class StrangerReplayTests
{
    private const int FloodDatagrams = 5000;
    private static readonly TimeSpan KeepAliveWait = TimeSpan.FromSeconds(3.5);

    private static IEnumerable<TestCaseData> Servers()
    {
        yield return new TestCaseData("ours").SetName("Our_server_ignores_replayed_datagrams_and_floods_from_a_stranger");
        yield return new TestCaseData("upstream").SetName("Upstreams_server_ignores_replayed_datagrams_and_floods_from_a_stranger");
    }

    [TestCaseSource(nameof(Servers))]
    public async Task Replays_and_a_flood_from_another_address_neither_disturb_the_session_nor_move_the_server(string server)
    {
        MoshPrograms ours = MoshPrograms.RequireOurs();
        var captured = new ConcurrentQueue<byte[]>();
        await using MoshSession session = await MoshSession.StartAsync(MoshPrograms.Named(server), ours,
            configureRelay: (_, relay) => relay.Inspector = (direction, datagram) =>
            {
                if (direction == RelayDirection.ToServer && captured.Count < 400)
                {
                    captured.Enqueue(datagram.ToArray());
                }
            });
        await session.RunCommandAsync("before");
        Assert.That(captured, Is.Not.Empty, "the relay captured the client's datagrams");

        using var stranger = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        stranger.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var target = new IPEndPoint(IPAddress.Loopback, session.Server.Port);
        foreach (byte[] datagram in captured)
        {
            stranger.SendTo(datagram, target);
        }

        var random = new Random(11);
        byte[] garbage = new byte[1400];
        for (int i = 0; i < FloodDatagrams; i++)
        {
            random.NextBytes(garbage);
            stranger.SendTo(garbage.AsSpan(0, random.Next(1, garbage.Length)), SocketFlags.None, target);
        }

        // Quiet for longer than the 3 s keep-alive interval: a server moved by a replay would now send its acks and
        // keep-alives to the stranger, and nothing from the real client would move it back.
        await Task.Delay(KeepAliveWait);
        int received = 0;
        stranger.ReceiveTimeout = 200;
        byte[] buffer = new byte[2048];
        try
        {
            while (true)
            {
                stranger.Receive(buffer);
                received++;
            }
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut)
        {
        }

        Assert.That(received, Is.Zero, $"datagrams the server sent to the stranger after {captured.Count} replays");

        // The session still works both ways through the relay, that is, from the client's real address.
        await session.RunCommandAsync("after");

        await session.Client.SendLineAsync("exit");
        Assert.That(await session.Client.WaitForExitAsync(TimeSpan.FromSeconds(20)), Is.Zero);
    }
}
