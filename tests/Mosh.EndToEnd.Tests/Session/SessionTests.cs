using System.Net;
using System.Net.Sockets;
using Mosh.Crypto;
using Mosh.EndToEnd.Harness;
using Mosh.Network;

namespace Mosh.EndToEnd.Session;

/// <summary>
/// Whole sessions of real executables on this machine: mosh-server detached, a UDP relay in front of it and
/// mosh-client in a tmux pane, in every pairing of ours and upstream's (Debian's 1.4.0).
/// </summary>
[TestFixture]
[NonParallelizable]
public class SessionTests
{
    private static readonly TimeSpan ExitWait = TimeSpan.FromSeconds(20);

    private static IEnumerable<TestCaseData> Pairings()
    {
        yield return new TestCaseData("ours", "ours").SetName("Ours_to_ours_types_resizes_and_exits_cleanly");
        yield return new TestCaseData("ours", "upstream").SetName("Our_client_works_with_upstreams_server");
        yield return new TestCaseData("upstream", "ours").SetName("Upstreams_client_works_with_our_server");
    }

    [TestCaseSource(nameof(Pairings))]
    public async Task A_session_echoes_output_follows_resizes_and_ends_when_the_shell_exits(string client, string server)
    {
        await using MoshSession session = await MoshSession.StartAsync(MoshPrograms.Named(server), MoshPrograms.Named(client));

        await session.RunCommandAsync("hello");

        await session.Client.ResizeAsync(100, 30);
        await session.Client.SendLineAsync("stty size");
        await session.Client.WaitForLineAsync("30 100");

        await session.Client.SendLineAsync("exit");
        int status = await session.Client.WaitForExitAsync(ExitWait);
        string screen = await session.Client.CapturePaneAsync(includeHistory: true);
        Assert.That(status, Is.Zero, screen);
        Assert.That(screen, Does.Contain("[mosh is exiting.]"));
        await session.Server.WaitForExitAsync(ExitWait);
    }

    [Test]
    public async Task A_full_screen_program_looks_the_same_through_mosh_as_directly_in_tmux()
    {
        MoshPrograms ours = MoshPrograms.RequireOurs();
        using var directory = new TempDirectory("mosh-e2e-fullscreen-");
        string file = directory.File("text.txt");
        await File.WriteAllLinesAsync(file, Enumerable.Range(1, 60).Select(i => $"line {i}: {new string((char)('a' + (i % 26)), i % 50)}"));
        string[] less = ["/usr/bin/env", "LESS=", "LESSHISTFILE=-", "/usr/bin/less", "-S", "+15", file];

        await using MoshSession session = await MoshSession.StartAsync(ours, ours, new MoshServerOptions { Command = less });
        await using TmuxSession direct = await TmuxSession.StartAsync(less, new TmuxOptions { Environment = new Dictionary<string, string?> { ["TERM"] = "xterm" } });
        await direct.WaitForTextAsync("line 37:");

        // The screens, SGR attributes and cursor included, must come to agree (mosh sends frames as they settle).
        await PaneAgreement.AssertSameScreenAsync(session.Client, direct, TimeSpan.FromSeconds(10));

        await session.Client.SendTextAsync("q");
        Assert.That(await session.Client.WaitForExitAsync(ExitWait), Is.Zero);
    }

    [Test]
    public async Task Typing_gets_through_a_lossy_and_slow_network()
    {
        MoshPrograms ours = MoshPrograms.RequireOurs();
        await using MoshSession session = await MoshSession.StartAsync(ours);
        var impairment = new RelayImpairment { DelayMs = 60, JitterMs = 20, LossProbability = 0.2, DuplicateProbability = 0.05, ReorderProbability = 0.05 };
        session.Relay.Impair(impairment);

        for (int i = 0; i < 3; i++)
        {
            await session.RunCommandAsync($"lossy{i}", TimeSpan.FromSeconds(30));
        }

        session.Relay.Impair(RelayImpairment.None);
        await session.Client.SendLineAsync("exit");
        Assert.That(await session.Client.WaitForExitAsync(ExitWait), Is.Zero);
        Assert.That(session.Relay.ToServerCounters.Dropped + session.Relay.ToClientCounters.Dropped, Is.Positive,
            "the relay lost datagrams: " + session.Relay);
        session.Relay.ThrowIfFailed();
    }

    [Test]
    public async Task An_abandoned_server_exits_after_its_network_timeout()
    {
        MoshPrograms ours = MoshPrograms.RequireOurs();
        var options = new MoshServerOptions { Environment = new Dictionary<string, string?> { ["MOSH_SERVER_NETWORK_TMOUT"] = "2" } };
        await using MoshSession session = await MoshSession.StartAsync(ours, options);
        await session.RunCommandAsync("alive");

        session.Relay.Blackout = true; // the client is gone as far as the server can tell
        await session.Server.WaitForExitAsync(TimeSpan.FromSeconds(15));
    }

    [Test]
    public async Task Garbage_and_wrong_key_datagrams_from_a_stranger_do_not_disturb_the_session()
    {
        MoshPrograms ours = MoshPrograms.RequireOurs();
        await using MoshSession session = await MoshSession.StartAsync(ours);
        await session.RunCommandAsync("before");

        using var stranger = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        var server = new IPEndPoint(IPAddress.Loopback, session.Server.Port);
        var random = new Random(7);
        var codec = new PacketCodec(new CryptoSession(SessionKey.Generate()), isServer: false);
        byte[] datagram = new byte[600];
        for (int i = 0; i < 50; i++)
        {
            byte[] garbage = new byte[random.Next(1, 1400)];
            random.NextBytes(garbage);
            stranger.SendTo(garbage, server);

            byte[] payload = new byte[random.Next(1, 400)];
            random.NextBytes(payload);
            int length = codec.Seal(0xFFFF, 0xFFFF, payload, datagram);
            stranger.SendTo(datagram.AsSpan(0, length), SocketFlags.None, server);
        }

        await session.Relay.InjectAsync(RelayDirection.ToClient, "not a mosh datagram at all"u8);
        await session.RunCommandAsync("after");
        await session.Client.SendLineAsync("exit");
        Assert.That(await session.Client.WaitForExitAsync(ExitWait), Is.Zero);
    }
}
