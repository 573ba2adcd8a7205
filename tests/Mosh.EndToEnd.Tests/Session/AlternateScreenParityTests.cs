using System.Globalization;
using Mosh.EndToEnd.Harness;

namespace Mosh.EndToEnd.Session;

/// <summary>
/// Full-screen programs on the alternate screen: after <c>seq 1 200</c>, <c>vim</c> (vim.tiny; the pane resized
/// while it runs) and <c>less</c> start and quit, the shell's screen is back exactly as directly in tmux, and nothing
/// they drew is in the client pane's scrollback, in every pairing of ours and upstream's client and server that has
/// our server. Our client with our server shows the pane's own alternate screen exactly while the server's terminal
/// does, and the seq lines are in the pane's scrollback once and in order. Upstream's server ignores the alternate
/// screen: with it our client stays on the pane's alternate screen for the whole session as upstream's does, and the
/// pager's last page stays on screen after it quits, which the third case documents.
/// </summary>
[TestFixture]
[NonParallelizable]
public class AlternateScreenParityTests
{
    private static IEnumerable<TestCaseData> Pairings()
    {
        yield return new TestCaseData("ours", "ours").SetName("Our_client_with_our_server_gives_the_shells_screen_back_after_less_and_vim");
        yield return new TestCaseData("upstream", "ours").SetName("Upstreams_client_with_our_server_gives_the_shells_screen_back_after_less_and_vim");
        yield return new TestCaseData("ours", "upstream").SetName("Our_client_with_upstreams_server_keeps_the_pagers_page_after_less_as_upstream_does");
    }

    [TestCaseSource(nameof(Pairings))]
    public async Task Vim_and_less_started_and_quit_leave_the_shells_screen_as_directly_in_tmux_and_nothing_in_the_scrollback(string client, string server)
    {
        using var directory = new TempDirectory("mosh-e2e-altscreen-");
        string lessFile = directory.File("less.txt");
        string vimFile = directory.File("vim.txt");
        await File.WriteAllLinesAsync(lessFile, Enumerable.Range(1, 100).Select(i => $"less-marker {i}"));
        await File.WriteAllLinesAsync(vimFile, Enumerable.Range(1, 100).Select(i => $"vim-marker {i}"));
        await using MoshSession session = await MoshSession.StartAsync(
            MoshPrograms.Named(server), MoshPrograms.Named(client), new MoshServerOptions { ExtraArguments = ["-c", "256"] });
        await using TmuxSession direct = await TmuxSession.StartAsync([.. TestShell.Command]);
        TmuxSession[] panes = [session.Client, direct];
        // Everything the client writes to its pane, for a timeout's report: whether what tmux does not show was written.
        string paneLog = directory.File("client-output.log");
        await session.Client.TmuxAsync("pipe-pane", "-t", "main", $"cat >> '{paneLog}'");
        bool ourServer = server == "ours";
        bool followsServer = client == "ours" && ourServer; // the pane's alternate screen only while the server's

        // Our client with our server shows the pane's alternate screen exactly while the server's terminal does;
        // upstream's client, and ours with upstream's server, show it for the whole session (smcup at start).
        Task WaitForAlternateAsync(TmuxSession pane, bool serverAlternate, string what)
        {
            string want = serverAlternate || !followsServer ? "1" : "0";
            return Poll.UntilAsync(async () => await pane.DisplayAsync("#{alternate_on}") == want, TmuxSession.DefaultWait,
                () => $"alternate_on {want}: {what}");
        }

        await Both(session, panes, pane => pane.WaitForScreenAsync(TestShell.ShowsPrompt, "the prompt"));
        await Both(session, panes, pane => pane.SendLineAsync("export TERM=xterm-256color; seq 1 200; echo before-programs"));
        await Both(session, panes, pane => pane.WaitForLineAsync("before-programs"));
        if (followsServer)
        {
            await WaitForAlternateAsync(session.Client, false, "the shell on the primary screen");
            Assert.That(SeqLines(await session.Client.CapturePaneAsync(includeHistory: true)), Is.EqualTo(Enumerable.Range(1, 200)),
                "the seq lines once each and in order, scrollback then screen");
        }

        await Both(session, panes, pane => pane.SendLineAsync($"vim.tiny -u NONE -N -i NONE -n '{vimFile}'"));
        await Both(session, panes, pane => pane.WaitForTextAsync("vim-marker 10"));
        await WaitForAlternateAsync(session.Client, true, "vim on the alternate screen");
        await Both(session, panes, pane => pane.SendTextAsync("G"));
        await Both(session, panes, pane => pane.WaitForTextAsync("vim-marker 100"));
        // A taller pane and back while vim runs: on a primary screen tmux would pull scrollback onto the screen and
        // then push vim's rows into the scrollback. (Taller first: the server keeps the shell's rows when it grows.)
        // A line typed into vim after each resize shows vim has redrawn for it.
        await Both(session, panes, pane => pane.ResizeAsync(80, 30));
        await Both(session, panes, pane => pane.SendTextAsync("ovim-marker grown"));
        await Both(session, panes, pane => pane.SendKeysAsync("Escape"));
        await Both(session, panes, pane => pane.WaitForTextAsync("vim-marker grown"));
        await Both(session, panes, pane => pane.ResizeAsync(80, 24));
        await Both(session, panes, pane => pane.SendTextAsync("ovim-marker shrunk"));
        await Both(session, panes, pane => pane.SendKeysAsync("Escape"));
        await Both(session, panes, pane => pane.WaitForTextAsync("vim-marker shrunk"));
        await Both(session, panes, pane => pane.SendTextAsync(":q!"));
        await Both(session, panes, pane => pane.SendKeysAsync("Enter"));
        // Typing ahead while vim exits would feed vim: wait for the shell to be back (with upstream's server, below
        // vim's last screen).
        await Both(session, panes, pane => pane.WaitForScreenAsync(
            screen => TestShell.ShowsPrompt(screen)
                && (!Visible(screen, 24).Contains("vim-marker", StringComparison.Ordinal) || (pane == session.Client && !ourServer)),
            "the shell after vim"));
        await Both(session, panes, pane => pane.SendLineAsync("echo after-vim"));
        try
        {
            await Both(session, panes, pane => pane.WaitForLineAsync("after-vim"));
        }
        catch (TimeoutException e)
        {
            // Whether it shows later, and when, and the state tmux keeps the pane in. The client is sent a SIGWINCH
            // first: if the session then takes the pane's size, the resize back to 24 rows was what it had missed.
            string clientPid = (await session.Client.DisplayAsync("#{pane_pid}")).Trim();
            await ProcessRunner.RunAsync(new ProcessSpec("kill", ["-WINCH", clientPid]), TimeSpan.FromSeconds(5));
            var late = System.Diagnostics.Stopwatch.StartNew();
            string shown;
            try
            {
                await session.Client.WaitForLineAsync("after-vim", TimeSpan.FromSeconds(40));
                shown = $"{late.Elapsed.TotalSeconds:F1} s after the timeout and a SIGWINCH to the client";
            }
            catch (TimeoutException)
            {
                shown = "never (40 s more, after a SIGWINCH to the client)";
            }

            string pane = await session.Client.DisplayAsync(
                "in_mode #{pane_in_mode} alternate_on #{alternate_on} dead #{pane_dead} cursor #{cursor_x},#{cursor_y} size #{pane_width}x#{pane_height} tty #{pane_tty}");
            string ttyPath = (await session.Client.DisplayAsync("#{pane_tty}")).Trim();
            ProcessResult stty = await ProcessRunner.RunAsync(new ProcessSpec("stty", ["-F", ttyPath, "size"]), TimeSpan.FromSeconds(5));
            pane += $"; the pty's own size (rows columns): {stty.Stdout.Trim()}{stty.Stderr.Trim()}";
            byte[] written = File.Exists(paneLog) ? await File.ReadAllBytesAsync(paneLog) : [];
            string tail = System.Text.Encoding.UTF8.GetString(written, Math.Max(0, written.Length - 1500), Math.Min(written.Length, 1500))
                .Replace("\e", "\\e").Replace("\r", "\\r").Replace("\n", "\\n\n");
            throw new TimeoutException($"after-vim showed through mosh {shown}; pane {pane}\n" + e.Message
                + $"\nthe client wrote {written.Length} bytes to its pane, ending:\n{tail}", e);
        }
        if (followsServer)
        {
            await WaitForAlternateAsync(session.Client, false, "the shell back on the primary screen");
        }

        if (ourServer)
        {
            await PaneAgreement.AssertSameScreenAsync(session.Client, direct, TimeSpan.FromSeconds(10), "after vim");
        }

        await Both(session, panes, pane => pane.SendLineAsync($"less '{lessFile}'"));
        await Both(session, panes, pane => pane.WaitForTextAsync("less-marker 10"));
        await WaitForAlternateAsync(session.Client, true, "less on the alternate screen");
        await Both(session, panes, pane => pane.SendTextAsync("G"));
        await Both(session, panes, pane => pane.WaitForTextAsync("less-marker 100"));
        await Both(session, panes, pane => pane.SendTextAsync("q"));
        await Both(session, panes, pane => pane.SendLineAsync("echo after-less"));
        await Both(session, panes, pane => pane.WaitForLineAsync("after-less"));

        string capture = await session.Client.CapturePaneAsync(includeHistory: true);
        string scrollback = Scrollback(capture, 24);
        TestContext.Out.WriteLine($"{client} client, {server} server: {scrollback.Split('\n').Length - 1} lines in the pane's scrollback");
        Assert.That(scrollback, Does.Not.Contain("vim-marker").And.Not.Contain("less-marker"), "nothing vim or less drew in the scrollback");
        if (!ourServer)
        {
            Assert.That(await session.Client.CapturePaneAsync(), Does.Contain("less-marker 100"), "upstream's server ignores the alternate screen");
            return;
        }

        await PaneAgreement.AssertSameScreenAsync(session.Client, direct, TimeSpan.FromSeconds(10), "after less");
        Assert.That(await session.Client.CapturePaneAsync(), Does.Not.Contain("less-marker"));
        if (followsServer)
        {
            await WaitForAlternateAsync(session.Client, false, "the shell back on the primary screen");
            // Still all there and in order after vim and less. Known issue (noted on issue 12): the pane's resize while
            // vim ran can make tmux pull a few shell rows from its scrollback onto its hidden primary screen and push
            // them back, so those rows may show once more when the client repaints the shell's screen; hence the
            // first-occurrence order here, and the exact once-each check above, before any resize.
            Assert.That(SeqLines(capture).Distinct(), Is.EqualTo(Enumerable.Range(1, 200)), "the seq lines, in order, after vim and less");
        }
    }

    /// <summary>The lines of a capture that are plain numbers (what seq printed), in order.</summary>
    private static List<int> SeqLines(string capture) =>
        capture.Split('\n')
            .Where(line => line.Length > 0 && line.All(char.IsAsciiDigit))
            .Select(line => int.Parse(line, CultureInfo.InvariantCulture)).ToList();

    /// <summary>The capture's lines above the last <paramref name="rows"/> (the pane's scrollback).</summary>
    private static string Scrollback(string capture, int rows)
    {
        string[] lines = Rows(capture);
        return string.Join('\n', lines.Take(Math.Max(0, lines.Length - rows))) + "\n";
    }

    /// <summary>The capture's last <paramref name="rows"/> lines (the screen).</summary>
    private static string Visible(string capture, int rows)
    {
        string[] lines = Rows(capture);
        return string.Join('\n', lines.Skip(Math.Max(0, lines.Length - rows)));
    }

    /// <summary>capture-pane's rows (each ends in a newline, blank ones too).</summary>
    private static string[] Rows(string capture) => capture.EndsWith('\n') ? capture[..^1].Split('\n') : capture.Split('\n');

    /// <summary>
    /// Does the same in both panes. A wait that times out says first (the message's head is what CI shows) whether
    /// the server still ran and whether datagrams still flowed each way: this test has timed out twice in CI, after
    /// vim, and never here.
    /// </summary>
    private static async Task Both(MoshSession session, TmuxSession[] panes, Func<TmuxSession, Task> action)
    {
        try
        {
            await Task.WhenAll(panes.Select(action));
        }
        catch (TimeoutException e)
        {
            string relay = session.Relay.ToString();
            await Task.Delay(TimeSpan.FromSeconds(2));
            string[] log = session.Server.Log.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            throw new TimeoutException(
                $"server {(session.Server.HasExited ? "EXITED" : "running")}; relay {relay}; 2 s later {session.Relay}; "
                + $"server log: {string.Join(" / ", log.TakeLast(6))}\n{e.Message}", e);
        }
    }
}
