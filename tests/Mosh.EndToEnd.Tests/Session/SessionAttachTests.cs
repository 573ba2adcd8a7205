using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Mosh.EndToEnd.Harness;

namespace Mosh.EndToEnd.Session;

/// <summary>
/// Sessions outlive their client: a session whose client was killed is listed, taken over by a new client (ours or
/// upstream's) with a fresh key that shows the old screen and the shell's jobs, while the old key gets nothing back;
/// <c>kill</c> ends it as SIGTERM does. A client still running when its session is taken over exits.
/// </summary>
[TestFixture]
[NonParallelizable]
public partial class SessionAttachTests : SessionControlFixture
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    /// <summary>Longer than the server's 3 s heartbeat, which it sends to whatever address its key last came from.</summary>
    private static readonly TimeSpan ProbeTime = TimeSpan.FromSeconds(4);

    [GeneratedRegex(@"SLEEP=(\d+)")]
    private static partial Regex SleepPid();

    [TestCaseSource(typeof(MoshPrograms), nameof(MoshPrograms.BothNames))]
    public async Task A_session_whose_client_was_killed_is_listed_then_attached_by_a_new_client_with_its_screen_and_jobs_and_killed(string newClient)
    {
        await using MoshServer server = await StartSessionAsync();
        int sleepPid;
        await using (TmuxSession first = await MoshClient.StartAsync(Ours, server.Port, server.Key))
        {
            await first.WaitForScreenAsync(TestShell.ShowsPrompt, "the prompt", Wait);
            await first.SendLineAsync("sleep 1000 & echo SLEEP=$!");
            string screen = await first.WaitForScreenAsync(s => SleepPid().IsMatch(s), "the sleep job's pid", Wait);
            sleepPid = int.Parse(SleepPid().Match(screen).Groups[1].Value, CultureInfo.InvariantCulture);
            await first.SendLineAsync("echo before");
            await first.WaitForLineAsync("before", Wait);
            ProcessTag.Signal(await first.PanePidAsync(), 9);
            await first.WaitForExitAsync(Wait);
        }

        ProcessResult list = await ServerCommandAsync("list");
        Assert.That(list.ExitCode, Is.Zero, list.Describe());
        Assert.That(list.Stdout, Does.Match($@"(?m)^{server.Pid}\s+\d{{4}}-\d\d-\d\d \d\d:\d\d:\d\d\s+(attached|detached)\s+\d+s\s+127\.0\.0\.1:\d+\s+80x24\s+"),
            list.Describe());

        (int port, string probeKey) = await AttachAsync(server.Pid);
        Assert.That(port, Is.EqualTo(server.Port));
        Assert.That(probeKey, Is.Not.EqualTo(server.Key));
        await UtmpTests.WaitForHostAsync(server.Pid, $"mosh [{server.Pid}]");
        Assert.That(await DatagramsAnsweredAsync(server.Key, server.Port, "echo stolen", ProbeTime), Is.Zero,
            "the first key still gets answers after the attach");

        // A stand-in client takes the new key (control: this probe is answered while its key is the session's), then
        // loses it to the next attach, after which the same probe gets nothing back.
        Assert.That(await DatagramsAnsweredAsync(probeKey, port, "echo probe", ProbeTime), Is.GreaterThan(0));
        (port, string key) = await AttachAsync(server.Pid);
        Assert.That(key, Is.Not.EqualTo(probeKey));
        Assert.That(await DatagramsAnsweredAsync(probeKey, port, "echo stolen", ProbeTime), Is.Zero,
            "the replaced key still gets answers after the attach");

        await using (TmuxSession second = await MoshClient.StartAsync(MoshPrograms.Named(newClient), port, key))
        {
            await second.WaitForLineAsync("before", Wait);
            await UtmpTests.WaitForHostAsync(server.Pid, $"127.0.0.1 via mosh [{server.Pid}]");
            await second.SendLineAsync("jobs");
            await second.WaitForTextAsync("sleep 1000", Wait);
            await second.SendLineAsync("echo af''ter");
            string screen = await second.WaitForLineAsync("after", Wait);
            Assert.That(screen, Does.Not.Contain("stolen"));
            Assert.That(ProcessExists(sleepPid), "the job started before the crash is gone");

            ProcessResult kill = await ServerCommandAsync("kill", server.Pid.ToString(CultureInfo.InvariantCulture));
            Assert.That(kill.ExitCode, Is.Zero, kill.Describe());
            Assert.That(server.HasExited, "kill returned before the session ended");
            await Poll.UntilAsync(() => !ProcessExists(sleepPid), Wait, "the shell's job to get its hangup");
            Assert.That(UtmpFile.LiveRecordOf(server.Pid), Is.Null, UtmpFile.Describe());
            Assert.That(File.Exists(Path.Combine(ControlDirectoryPath, $"{server.Pid}.sock")), Is.False);
            await second.WaitForExitAsync(Wait);
        }

        ProcessResult after = await ServerCommandAsync("list");
        Assert.That(after.Stdout, Does.Not.Contain(server.Pid.ToString(CultureInfo.InvariantCulture)), after.Describe());
    }

    [TestCaseSource(typeof(MoshPrograms), nameof(MoshPrograms.BothNames))]
    public async Task A_client_still_running_exits_when_its_session_is_taken_over_and_ours_says_so(string oldClient)
    {
        await using MoshServer server = await StartSessionAsync();
        await using TmuxSession old = await MoshClient.StartAsync(MoshPrograms.Named(oldClient), server.Port, server.Key);
        await old.WaitForScreenAsync(TestShell.ShowsPrompt, "the prompt", Wait);
        await old.SendLineAsync("echo o''ne");
        await old.WaitForLineAsync("one", Wait);

        (int port, string key) = await AttachAsync(server.Pid);
        int status = await old.WaitForExitAsync(Wait);
        string farewell = await old.CapturePaneAsync(includeHistory: true);
        Assert.That(status, Is.Zero, "the old client did not exit cleanly:\n" + farewell);
        // Ours is told why (session notice, field 42); upstream's just sees the server shut down.
        Assert.That(farewell.Contains("mosh: session taken over by another client", StringComparison.Ordinal), Is.EqualTo(oldClient == "ours"),
            farewell);
        Assert.That(farewell, Does.Not.Contain("did not shut down cleanly"), farewell);

        await using TmuxSession next = await MoshClient.StartAsync(Ours, port, key);
        await next.WaitForLineAsync("one", Wait);
        await next.SendLineAsync("echo t''wo");
        await next.WaitForLineAsync("two", Wait);

        // Attaching again at once, and again, works as well: each new client takes over from the last.
        (port, key) = await AttachAsync(server.Pid);
        await next.WaitForExitAsync(Wait);
        await using TmuxSession third = await MoshClient.StartAsync(Ours, port, key);
        await third.WaitForLineAsync("two", Wait);
        await DetachedSessionTests.StopAsync(server);
    }

    [Test]
    public async Task Across_attaches_an_upstream_client_never_gets_an_extension_field_and_ours_gets_the_notice()
    {
        await using MoshServer server = await StartSessionAsync();

        // An upstream client (through a relay that checks every datagram under its key) is taken over.
        using (var firstCheck = new WireVerifier(server.Key))
        using (UdpRelay relay = UdpRelay.Start(server.Port))
        {
            relay.Inspector = firstCheck.Inspect;
            await using TmuxSession upstream = await MoshClient.StartAsync(MoshPrograms.Upstream, relay.Port, server.Key);
            await upstream.WaitForScreenAsync(TestShell.ShowsPrompt, "the prompt", Wait);
            await upstream.SendLineAsync("echo fi''rst");
            await upstream.WaitForLineAsync("first", Wait);
            (_, string key2) = await AttachAsync(server.Pid);
            Assert.That(await upstream.WaitForExitAsync(Wait), Is.Zero);

            // Ours takes the session and announces notices; it is taken over in turn and told so.
            await using TmuxSession ours = await MoshClient.StartAsync(Ours, server.Port, key2);
            await ours.WaitForLineAsync("first", Wait);
            await ours.SendLineAsync("echo sec''ond");
            await ours.WaitForLineAsync("second", Wait);
            (_, string key3) = await AttachAsync(server.Pid);
            Assert.That(await ours.WaitForExitAsync(Wait), Is.Zero);
            Assert.That(await ours.CapturePaneAsync(includeHistory: true), Does.Contain("mosh: session taken over by another client"));

            Assert.Multiple(() =>
            {
                Assert.That(firstCheck.Mismatches, Is.Empty);
                Assert.That(firstCheck.DiffsChecked(RelayDirection.ToClient), Is.GreaterThan(0));
                Assert.That(firstCheck.ExtensionInstructions(RelayDirection.ToClient), Is.Zero, "the first upstream client got an extension");
            });

            // Another upstream client after ours: the hello ours had is forgotten, so it too gets nothing beyond upstream's.
            using var thirdCheck = new WireVerifier(key3);
            using UdpRelay thirdRelay = UdpRelay.Start(server.Port);
            thirdRelay.Inspector = thirdCheck.Inspect;
            await using TmuxSession third = await MoshClient.StartAsync(MoshPrograms.Upstream, thirdRelay.Port, key3);
            await third.WaitForLineAsync("second", Wait);
            await third.SendLineAsync("seq 1 100; echo th''ird");
            await third.WaitForLineAsync("third", Wait);
            Assert.Multiple(() =>
            {
                Assert.That(thirdCheck.Mismatches, Is.Empty);
                Assert.That(thirdCheck.DiffsChecked(RelayDirection.ToClient), Is.GreaterThan(0));
                Assert.That(thirdCheck.ExtensionInstructions(RelayDirection.ToClient), Is.Zero, "the later upstream client got an extension");
                Assert.That(thirdRelay.InspectorFailures, Is.Empty);
            });
        }

        await DetachedSessionTests.StopAsync(server);
    }

    [TestCaseSource(typeof(MoshPrograms), nameof(MoshPrograms.BothNames))]
    public async Task A_session_flooding_output_is_taken_over_from_its_running_client_and_the_new_client_can_interrupt_the_flood(string newClient)
    {
        await using MoshServer server = await StartSessionAsync();
        await using TmuxSession old = await MoshClient.StartAsync(Ours, server.Port, server.Key);
        await old.WaitForScreenAsync(TestShell.ShowsPrompt, "the prompt", Wait);
        await old.SendLineAsync("yes fl''ood");
        await old.WaitForLineAsync("flood", Wait);

        // The old client is acking a stream of frames when the session changes hands; twice in a row.
        (_, string probeKey) = await AttachAsync(server.Pid);
        Assert.That(await old.WaitForExitAsync(Wait), Is.Zero);
        // A stand-in client takes the session (an attach is pending until its client is heard), then loses it.
        Assert.That(await DatagramsAnsweredAsync(probeKey, server.Port, "", TimeSpan.FromSeconds(1)), Is.GreaterThan(0));
        (int port, string key) = await AttachAsync(server.Pid, "-p", "61700:61799");
        Assert.That(port, Is.InRange(61700, 61799));
        Assert.That(await DatagramsAnsweredAsync(probeKey, server.Port, "", ProbeTime), Is.Zero,
            "the replaced key still gets answers after the attach");

        await using TmuxSession next = await MoshClient.StartAsync(MoshPrograms.Named(newClient), port, key);
        await next.WaitForLineAsync("flood", Wait);
        await next.SendKeysAsync("C-c");
        await next.SendLineAsync("echo qu''iet");
        string screen = await next.WaitForLineAsync("quiet", Wait);
        Assert.That(screen, Does.Contain("^C"), "the interrupt did not reach the program");
        Assert.That(server.HasExited, Is.False);
        await DetachedSessionTests.StopAsync(server);
    }

    [Test]
    public async Task Attach_with_a_port_range_moves_the_session_to_a_port_in_that_range_and_the_old_port_goes_quiet()
    {
        await using MoshServer server = await StartSessionAsync();
        (int port, string key) = await AttachAsync(server.Pid, "-p", "61800:61899");
        Assert.That(port, Is.InRange(61800, 61899).And.Not.EqualTo(server.Port));
        Assert.That(await DatagramsAnsweredAsync(key, server.Port, "echo old''port", ProbeTime), Is.Zero,
            "the session still answers on its old port");

        await using TmuxSession client = await MoshClient.StartAsync(Ours, port, key);
        await client.WaitForScreenAsync(TestShell.ShowsPrompt, "the prompt", Wait);
        await client.SendLineAsync("echo new''port");
        string screen = await client.WaitForLineAsync("newport", Wait);
        Assert.That(screen, Does.Not.Contain("oldport"));

        ProcessResult list = await ServerCommandAsync("list");
        Assert.That(list.Stdout, Does.Match($@"(?m)^{server.Pid}\s+\S+ \S+\s+attached\s"), list.Describe());
        await DetachedSessionTests.StopAsync(server);
    }

    [Test]
    public async Task A_detached_session_costs_next_to_no_cpu()
    {
        await using MoshServer server = await StartSessionAsync();
        await using (TmuxSession client = await MoshClient.StartAsync(Ours, server.Port, server.Key))
        {
            await client.WaitForScreenAsync(TestShell.ShowsPrompt, "the prompt", Wait);
            ProcessTag.Signal(await client.PanePidAsync(), 9);
            await client.WaitForExitAsync(Wait);
        }

        long before = ProcessTag.CpuTicks(server.Pid);
        var clock = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(5));
        long used = ProcessTag.CpuTicks(server.Pid) - before;

        TestContext.Progress.WriteLine($"detached session: {used} ticks ({used * 10} ms) of CPU in {clock.Elapsed.TotalSeconds:F1} s = {used * 10 / clock.Elapsed.TotalMilliseconds * 100:F2} %");
        Assert.That(used, Is.LessThanOrEqualTo(5), $"{used * 10} ms of CPU in 5 s");
        await DetachedSessionTests.StopAsync(server);
    }

}
