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
            Assert.That(File.ReadAllText($"/proc/net/udp"), Does.Contain($"0100007F:{server.Port:X4}"), "bound to 127.0.0.1 only");
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

        // Commands until loss has struck both ways (a few datagrams per command; 30% each): each must get through.
        int commands = 0;
        while (commands < 2 || (commands < 10 && (session.Relay.ToServerCounters.Dropped == 0 || session.Relay.ToClientCounters.Dropped == 0)))
        {
            await session.RunCommandAsync(Token(), TimeSpan.FromSeconds(45));
            commands++;
        }

        TestContext.Out.WriteLine($"{commands} commands; {session.Relay}");
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

    [Test]
    public async Task Session_works_with_reordering_and_duplication_both_ways()
    {
        await using MoshSession session = await MoshSession.StartAsync(Upstream);
        session.Relay.Impair(new RelayImpairment { DelayMs = 20, JitterMs = 60, DuplicateProbability = 0.3, ReorderProbability = 0.2, ReorderHoldMs = 80 });

        // Output trickling out for a second makes a stream of frames for the jitter to reorder.
        await session.Client.SendLineAsync("for i in $(seq 1 40); do echo burst$i; sleep 0.03; done; echo \"burst\"\"-done\"");
        await session.Client.WaitForLineAsync("burst-done", TimeSpan.FromSeconds(30));
        int commands = 0;
        while (commands < 2 || (commands < 10 && (session.Relay.ToClientCounters.Reordered == 0 || session.Relay.ToServerCounters.Duplicated == 0 || session.Relay.ToClientCounters.Duplicated == 0)))
        {
            await session.RunCommandAsync(Token(), TimeSpan.FromSeconds(30));
            commands++;
        }

        TestContext.Out.WriteLine($"{commands} commands; {session.Relay}");
        Assert.Multiple(() =>
        {
            Assert.That(session.Relay.ToServerCounters.Duplicated, Is.GreaterThan(0));
            Assert.That(session.Relay.ToClientCounters.Duplicated, Is.GreaterThan(0));
            Assert.That(session.Relay.ToClientCounters.Reordered, Is.GreaterThan(0));
        });
    }

    [Test]
    public async Task Session_ignores_injected_garbage_and_replayed_datagrams()
    {
        byte[]? lastToServer = null;
        byte[]? lastToClient = null;
        await using MoshSession session = await MoshSession.StartAsync(Upstream, Upstream, configureRelay: (_, relay) =>
            relay.Inspector = (direction, datagram) =>
            {
                if (direction == RelayDirection.ToServer)
                {
                    Volatile.Write(ref lastToServer, datagram.ToArray());
                }
                else
                {
                    Volatile.Write(ref lastToClient, datagram.ToArray());
                }
            });
        await session.RunCommandAsync(Token());

        byte[] garbage = new byte[100];
        new Random(5).NextBytes(garbage);
        for (int i = 0; i < 5; i++)
        {
            await session.Relay.InjectAsync(RelayDirection.ToServer, garbage);
            await session.Relay.InjectAsync(RelayDirection.ToClient, garbage);
            await session.Relay.InjectAsync(RelayDirection.ToServer, Volatile.Read(ref lastToServer)!);
            await session.Relay.InjectAsync(RelayDirection.ToClient, Volatile.Read(ref lastToClient)!);
            // Reflected: each side's own datagram sent back to it (wrong direction bit).
            await session.Relay.InjectAsync(RelayDirection.ToClient, Volatile.Read(ref lastToServer)!);
            await session.Relay.InjectAsync(RelayDirection.ToServer, Volatile.Read(ref lastToClient)!);
        }

        await session.RunCommandAsync(Token());
        Assert.That(session.Relay.ToServerCounters.Injected, Is.EqualTo(15));
        Assert.That(session.Relay.ToClientCounters.Injected, Is.EqualTo(15));
        Assert.That(session.Server.HasExited, Is.False);
    }

    [Test]
    public async Task Verbose_server_keeps_logging_to_the_captured_log_after_detaching()
    {
        await using MoshSession session = await MoshSession.StartAsync(Upstream, new MoshServerOptions { ExtraArguments = ["-v"] });

        await session.RunCommandAsync(Token());

        await Poll.UntilAsync(() => session.Server.Log.Contains("Server now attached to client", StringComparison.Ordinal), TimeSpan.FromSeconds(20), () => "the attach message in the server log:\n" + session.Server.Log);
    }
}
