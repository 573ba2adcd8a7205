using System.Net;
using Mosh.EndToEnd.Harness;

namespace Mosh.EndToEnd.Session;

/// <summary>
/// Whole sessions over IPv6 loopback: the server bound with <c>-i ::1</c> (so nothing reaches it over IPv4) and the
/// client given ::1, in each pairing with upstream; then through the relay over ::1, roaming, with loss.
/// </summary>
[TestFixture]
[NonParallelizable]
public class Ipv6SessionTests
{
    private const string Ipv6Loopback = "::1";
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    private static IEnumerable<TestCaseData> Pairings()
    {
        yield return new TestCaseData("ours", "ours").SetName("Over_IPv6_our_client_works_with_our_server");
        yield return new TestCaseData("upstream", "ours").SetName("Over_IPv6_upstreams_client_works_with_our_server");
        yield return new TestCaseData("ours", "upstream").SetName("Over_IPv6_our_client_works_with_upstreams_server");
    }

    [TestCaseSource(nameof(Pairings))]
    public async Task A_session_over_ipv6_loopback_types_resizes_and_exits(string client, string server)
    {
        await using MoshServer moshServer = await MoshServer.StartAsync(MoshPrograms.Named(server), new MoshServerOptions { BindAddress = Ipv6Loopback });
        await using TmuxSession terminal = await MoshClient.StartAsync(MoshPrograms.Named(client).Client, moshServer.Port, moshServer.Key, host: Ipv6Loopback);
        await terminal.WaitForScreenAsync(TestShell.ShowsPrompt, "the prompt over IPv6", Generous);

        await terminal.SendLineAsync(MoshSession.EchoCommand("over-ipv6"));
        await terminal.WaitForLineAsync("over-ipv6", Generous);
        await terminal.ResizeAsync(90, 20);
        await terminal.SendLineAsync("stty size");
        await terminal.WaitForLineAsync("20 90", Generous);

        await terminal.SendLineAsync("exit");
        Assert.That(await terminal.WaitForExitAsync(Generous), Is.Zero);
        await moshServer.WaitForExitAsync(Generous);
    }

    [Test]
    public async Task Through_a_lossy_roaming_ipv6_relay_the_server_follows_the_client_and_output_arrives()
    {
        MoshPrograms ours = MoshPrograms.RequireOurs();
        await using MoshServer server = await MoshServer.StartAsync(ours, new MoshServerOptions { BindAddress = Ipv6Loopback });
        using UdpRelay relay = UdpRelay.Start(server.Port, loopback: IPAddress.IPv6Loopback);
        await using TmuxSession terminal = await MoshClient.StartAsync(ours.Client, relay.Port, server.Key, host: Ipv6Loopback);
        await terminal.WaitForScreenAsync(TestShell.ShowsPrompt, "the prompt through the IPv6 relay; " + relay, Generous);
        relay.Impair(new RelayImpairment { DelayMs = 20, LossProbability = 0.1 });

        for (int i = 0; i < 3; i++)
        {
            int port = await relay.RoamAsync();
            await terminal.SendLineAsync(MoshSession.EchoCommand($"roamed{i}"));
            await terminal.WaitForLineAsync($"roamed{i}", Generous);
            TestContext.Out.WriteLine($"roam {i}: relay now sends from [::1]:{port}");
        }

        await Poll.UntilAsync(() => relay.ServerFacingPortsAnswered >= 3, Generous,
            () => "the server to answer at least 3 of the relay's IPv6 ports; " + relay);
        TestContext.Out.WriteLine(relay.ToString());
        relay.ThrowIfFailed();
    }
}
