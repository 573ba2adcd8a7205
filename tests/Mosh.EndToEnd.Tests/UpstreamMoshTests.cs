using Mosh.EndToEnd.Harness;

namespace Mosh.EndToEnd;

/// <summary>The harness driving Debian's upstream mosh 1.4.0 end to end, through the UDP relay.</summary>
[TestFixture]
internal sealed class UpstreamMoshTests
{
    private static readonly MoshPrograms Upstream = MoshPrograms.Upstream;

    private static string Token() => "tok-" + Random.Shared.Next(100_000, 1_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture);

    [Test]
    public async Task Mosh_server_new_prints_port_and_key_detaches_and_disposal_kills_it()
    {
        int pid;
        await using (MoshServer server = await MoshServer.StartAsync(Upstream))
        {
            Assert.That(server.Port, Is.InRange(60001, 60999));
            Assert.That(server.Key, Has.Length.EqualTo(22));
            Assert.That(server.HasExited, Is.False);
            Assert.That(server.Tag.FindProcesses(), Does.Contain(server.Pid));
            pid = server.Pid;
        }

        Assert.That(ProcessTag.IsGone(pid), Is.True);
    }

    [Test]
    public async Task Typed_command_output_appears_through_a_clean_relay_and_exit_ends_both_sides()
    {
        await using MoshSession session = await MoshSession.StartAsync(Upstream);

        await session.RunCommandAsync(Token());
        await session.Client.SendLineAsync("exit");

        Assert.That(await session.Client.WaitForExitAsync(), Is.Zero, "mosh-client exit status");
        await session.Server.WaitForExitAsync(TimeSpan.FromSeconds(20));
        Assert.That(session.Relay.ToServerCounters.Delivered, Is.GreaterThan(0));
        Assert.That(session.Relay.ToClientCounters.Delivered, Is.GreaterThan(0));
    }

    [Test]
    public async Task Session_works_at_300ms_rtt_with_jitter_and_30_percent_loss_both_ways()
    {
        await using MoshSession session = await MoshSession.StartAsync(Upstream);
        session.Relay.Impair(new RelayImpairment { DelayMs = 150, JitterMs = 40, LossProbability = 0.3 });

        await session.RunCommandAsync(Token(), TimeSpan.FromSeconds(45));
        await session.RunCommandAsync(Token(), TimeSpan.FromSeconds(45));

        TestContext.Out.WriteLine(session.Relay);
        Assert.Multiple(() =>
        {
            Assert.That(session.Relay.ToServerCounters.Dropped, Is.GreaterThan(0));
            Assert.That(session.Relay.ToClientCounters.Dropped, Is.GreaterThan(0));
            Assert.That(session.Relay.ToServerCounters.Delivered, Is.GreaterThan(0));
        });
    }

    [Test]
    public async Task Session_recovers_after_a_three_second_blackout()
    {
        await using MoshSession session = await MoshSession.StartAsync(Upstream);
        await session.RunCommandAsync(Token());

        session.Relay.Blackout = true;
        string token = Token();
        await session.Client.SendLineAsync(MoshSession.EchoCommand(token));
        // Wait (by polling) until the client has really tried to send into the blackout for a while.
        long before = session.Relay.ToServerCounters.BlackedOut;
        await Poll.UntilAsync(() => session.Relay.ToServerCounters.BlackedOut >= before + 5, TimeSpan.FromSeconds(20), "the client to keep sending into the blackout");
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.That(TmuxSession.HasLine(await session.Client.CapturePaneAsync(), token), Is.False, "no output can arrive during the blackout");
        session.Relay.Blackout = false;

        await session.Client.WaitForLineAsync(token, TimeSpan.FromSeconds(30));
        Assert.That(session.Relay.ToServerCounters.BlackedOut + session.Relay.ToClientCounters.BlackedOut, Is.GreaterThan(5));
    }

    [Test]
    public async Task Roaming_every_two_seconds_loses_no_keystroke()
    {
        await using MoshSession session = await MoshSession.StartAsync(Upstream);
        session.Relay.RoamInterval = TimeSpan.FromSeconds(2);
        const string Letters = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

        await session.Client.SendTextAsync("echo \"x\"\"");
        foreach (char c in Letters)
        {
            await session.Client.SendTextAsync(c.ToString());
            await Task.Delay(100); // spread the typing over several roams
        }
        await session.Client.SendLineAsync("\"");

        await session.Client.WaitForLineAsync("x" + Letters, TimeSpan.FromSeconds(30));
        TestContext.Out.WriteLine(session.Relay);
        Assert.That(session.Relay.Roams, Is.GreaterThanOrEqualTo(2));
        Assert.That(session.Relay.ServerFacingPortsAnswered, Is.GreaterThanOrEqualTo(2), "the server followed the client to a new port");
    }
}
