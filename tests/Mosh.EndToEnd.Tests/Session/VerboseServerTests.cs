using System.Text.RegularExpressions;
using Mosh.EndToEnd.Harness;

namespace Mosh.EndToEnd.Session;

/// <summary>
/// <c>mosh-server new -v</c> detaches as usual (the first process exits 0 after the detached line) but the daemon
/// keeps its stderr and writes upstream's transport trace there; Debian's mosh-server is held to the same lines.
/// </summary>
[TestFixture]
[NonParallelizable]
public partial class VerboseServerTests
{
    [TestCaseSource(typeof(MoshPrograms), nameof(MoshPrograms.BothNames))]
    public async Task Verbose_server_detaches_and_traces_fragments_sent_states_received_and_the_clients_address(string which)
    {
        MoshPrograms programs = MoshPrograms.Named(which);
        await using MoshServer server = await MoshServer.StartAsync(programs, new MoshServerOptions { ExtraArguments = ["-v"] });
        Assert.That(server.HasExited, Is.False, "the daemon runs on after the first process has exited");

        await using TmuxSession client = await MoshClient.StartAsync(programs, server.Port, server.Key);
        await client.WaitForScreenAsync(TestShell.ShowsPrompt, "the prompt");
        await client.SendLineAsync(MoshSession.EchoCommand("traced"));
        await client.WaitForLineAsync("traced");

        await Poll.UntilAsync(() => SentLine().IsMatch(server.Log) && ReceivedLine().IsMatch(server.Log), TimeSpan.FromSeconds(10),
            () => "the transport trace; log:\n" + server.Log);
        Assert.That(server.Log, Does.Match(@"(?m)^Server now attached to client at 127\.0\.0\.1:\d+$"));
        Assert.That(SentLine().Matches(server.Log).Select(m => m.Groups["new"].Value), Does.Contain("1"),
            "the first state (the shell's screen) goes out as state 1");

        await client.SendLineAsync("exit");
        await server.WaitForExitAsync(TimeSpan.FromSeconds(20));
        Assert.That(server.Log, Does.Match(@"(?m)^\[\d+\] Sent \[\d+=>-1\] "), "the shutdown state shows as -1");
    }

    /// <summary>
    /// Colours, wide and combining characters, scrolling (also in a region), a title, long wrapped lines, the
    /// alternate screen, erases, bells and resizes, each a shell command (printf octal escapes, so no input encoding
    /// is involved) followed by a marker to wait for.
    /// </summary>
    private static readonly string[] s_variedOutput =
    [
        @"printf '\033[1;31mred\033[0m \033[38;5;208morange \033[48;2;10;20;30mtrue colour\033[0m \033[4;7munder\033[0m\n'",
        @"printf 'wide \344\275\240\345\245\275 \360\237\230\200 e\314\201 a\314\210\314\262\n'",
        "seq 1 300",
        @"printf '\033[5;10r\033[10;1H'; seq 1 30; printf '\033[r'",
        @"printf '\033]0;verified title\007'; seq 1000 1100 | tr '\n' ' '; echo",
        @"printf 'abcdefgh\033[3D\033[2X\033[1K\n\a\a'",
        @"printf '\033[?1049h\033[H\033[2Jalternate \033[32mgreen\033[0m'; sleep 0.3; printf '\033[?1049l\n'",
        @"printf '\033[2J\033[H\033[44m\033[Kblue erase\033[0m\n\033[12;30Hmoved\n'",
    ];

    [TestCaseSource(typeof(MoshPrograms), nameof(MoshPrograms.BothNames))]
    public async Task Verbose_server_self_checks_every_diff_of_a_varied_session_without_a_round_trip_failure(string which)
    {
        MoshPrograms programs = MoshPrograms.Named(which);
        await using MoshServer server = await MoshServer.StartAsync(programs, new MoshServerOptions { ExtraArguments = ["-v"] });
        await using TmuxSession client = await MoshClient.StartAsync(programs, server.Port, server.Key);
        await client.WaitForScreenAsync(TestShell.ShowsPrompt, "the prompt");

        (int Width, int Height)[] sizes = [(100, 30), (60, 20), (80, 24)];
        for (int i = 0; i < s_variedOutput.Length; i++)
        {
            if (i % 3 == 2)
            {
                await client.ResizeAsync(sizes[i / 3].Width, sizes[i / 3].Height);
            }

            string marker = $"step{i}done";
            await client.SendLineAsync(s_variedOutput[i] + "; " + MoshSession.EchoCommand(marker));
            await client.WaitForLineAsync(marker);
        }

        await client.SendLineAsync("exit");
        await server.WaitForExitAsync(TimeSpan.FromSeconds(20));
        string log = server.Log;
        int sent = SentLine().Count(log);
        int targetState = TargetStateWarning().Count(log);
        TestContext.Out.WriteLine($"{which}: {sent} fragments traced, {targetState} target-state warnings");
        Assert.Multiple(() =>
        {
            Assert.That(sent, Is.GreaterThan(s_variedOutput.Length), "the trace is on: every step sent at least one diff");
            Assert.That(ReceivedLine().IsMatch(log), Is.True, "states received are traced");
            Assert.That(log, Does.Not.Contain("round-trip Instruction verification failed"), "log:\n" + log);
        });
    }

    /// <summary>
    /// What upstream's own e2e scripts <c>emulation-wrap-across-frames</c> and <c>unicode-later-combining</c> run,
    /// under the server's self-check: rows filled to the last column on one frame and wrapped on the next, and a
    /// combining circumflex printed alone on a row (which must reach the terminal as a no-break space plus the mark).
    /// </summary>
    [TestCaseSource(typeof(MoshPrograms), nameof(MoshPrograms.BothNames))]
    public async Task Verbose_server_self_checks_upstreams_wrap_across_frames_and_later_combining_scripts_without_a_warning(string which)
    {
        MoshPrograms programs = MoshPrograms.Named(which);
        await using MoshServer server = await MoshServer.StartAsync(programs, new MoshServerOptions { ExtraArguments = ["-v"] });
        await using TmuxSession client = await MoshClient.StartAsync(programs, server.Port, server.Key);
        await client.WaitForScreenAsync(TestShell.ShowsPrompt, "the prompt");

        string lower = "abcd" + new string('X', 72) + "1234";
        string upper = "ABCD" + new string('x', 72) + "5678";
        await client.SendLineAsync(
            $"printf '\\033[H\\033[J'; for x in $(seq 1 10); do printf {lower}; sleep 0.1; printf {upper}; sleep 0.1; done; printf '\\n'; "
            + MoshSession.EchoCommand("wrapped"));
        await client.WaitForLineAsync("wrapped");
        string[] rows = (await client.CapturePaneAsync()).Split('\n');
        for (int i = 0; i < 20; i++)
        {
            Assert.That(rows[i], Is.EqualTo(i % 2 == 0 ? lower : upper), $"row {i}");
        }

        await client.SendLineAsync("clear; printf 'abc\\n\\314\\202\\ndef\\n'; " + MoshSession.EchoCommand("combined"));
        await client.WaitForLineAsync("combined");
        Assert.That((await client.CapturePaneAsync()).Split('\n'), Does.Contain("\u00A0\u0302"),
            "the lone mark shows on a no-break space, as upstream's post check wants");

        await client.SendLineAsync("exit");
        await server.WaitForExitAsync(TimeSpan.FromSeconds(20));
        Assert.That(server.Log, Does.Not.Contain("verification failed"), "log:\n" + server.Log);
    }

    [TestCaseSource(typeof(MoshPrograms), nameof(MoshPrograms.BothNames))]
    public async Task Verbose_server_warns_of_the_target_state_as_upstream_does_when_shown_text_is_erased_in_place(string which)
    {
        // The client gets the erase as spaces, where the server holds erased cells: the same screen to upstream's
        // compare() (no round-trip warning) but not the same init diff, which upstream's e2e test knows fires.
        MoshPrograms programs = MoshPrograms.Named(which);
        using var directory = new TempDirectory();
        string trigger = directory.File("erase-now");
        await using MoshServer server = await MoshServer.StartAsync(programs, new MoshServerOptions { ExtraArguments = ["-v"] });
        await using TmuxSession client = await MoshClient.StartAsync(programs, server.Port, server.Key);
        await client.WaitForScreenAsync(TestShell.ShowsPrompt, "the prompt");

        // Octal escapes keep the text out of the typed command line.
        await client.SendLineAsync(
            $@"printf '\141\142\143defgh'; while [ ! -e {trigger} ]; do sleep 0.05; done; printf '\033[6D\033[3X\n'; "
            + MoshSession.EchoCommand("erased"));
        await client.WaitForLineAsync("abcdefgh");
        await Task.Delay(500); // the client's ack of that screen reaches the server
        await File.WriteAllTextAsync(trigger, "");
        await client.WaitForLineAsync("erased");
        await Poll.UntilAsync(() => TargetStateWarning().IsMatch(server.Log), TimeSpan.FromSeconds(10),
            () => "the target-state warning; log:\n" + server.Log);

        Assert.That(await client.CapturePaneAsync(), Does.Contain("ab   fgh"));
        Assert.That(server.Log, Does.Not.Contain("round-trip Instruction verification failed"));
    }

    [GeneratedRegex(@"(?m)^\[\d{1,5}\] Sent \[\d+=>(?<new>-?\d+)\] id \d+, frag \d+ ack=\d+, throwaway=\d+, len=\d+, frame rate=\d+\.\d\d, timeout=\d+, srtt=\d+\.\d$")]
    internal static partial Regex SentLine();

    [GeneratedRegex(@"(?m)^\[\d{1,5}\] Received state \d+ \[coming from \d+, ack \d+\]$")]
    internal static partial Regex ReceivedLine();

    [GeneratedRegex(@"(?m)^Warning, target state Instruction verification failed!$")]
    private static partial Regex TargetStateWarning();
}
