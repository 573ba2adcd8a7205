using Mosh.EndToEnd.Harness;

namespace Mosh.EndToEnd.Session;

/// <summary>
/// Full-screen programs on the alternate screen: after <c>less</c> and <c>vim</c> (vim.tiny) start and quit, the
/// shell's screen is back exactly as directly in tmux, in every pairing of ours and upstream's client and server
/// that has our server. Upstream's server ignores the alternate screen: with it the pager's last page stays on
/// screen after it quits, which the third case documents.
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
    public async Task Less_and_vim_started_and_quit_leave_the_shells_screen_as_directly_in_tmux(string client, string server)
    {
        using var directory = new TempDirectory("mosh-e2e-altscreen-");
        string file = directory.File("text.txt");
        await File.WriteAllLinesAsync(file, Enumerable.Range(1, 100).Select(i => $"paged line {i}"));
        await using MoshSession session = await MoshSession.StartAsync(
            MoshPrograms.Named(server), MoshPrograms.Named(client), new MoshServerOptions { ExtraArguments = ["-c", "256"] });
        await using TmuxSession direct = await TmuxSession.StartAsync([.. TestShell.Command]);
        TmuxSession[] panes = [session.Client, direct];
        await Both(panes, pane => pane.WaitForScreenAsync(TestShell.ShowsPrompt, "the prompt"));
        await Both(panes, pane => pane.SendLineAsync("export TERM=xterm-256color; seq 1 5; echo before-programs"));
        await Both(panes, pane => pane.WaitForLineAsync("before-programs"));

        await Both(panes, pane => pane.SendLineAsync($"less '{file}'"));
        await Both(panes, pane => pane.WaitForTextAsync("paged line 10"));
        await Both(panes, pane => pane.SendTextAsync("q"));
        await Both(panes, pane => pane.SendLineAsync("echo after-less"));
        await Both(panes, pane => pane.WaitForLineAsync("after-less"));
        if (server == "upstream")
        {
            Assert.That(await session.Client.CapturePaneAsync(), Does.Contain("paged line 10"), "upstream's server ignores the alternate screen");
            return;
        }

        await PaneAgreement.AssertSameScreenAsync(session.Client, direct, TimeSpan.FromSeconds(10), "after less");
        Assert.That(await session.Client.CapturePaneAsync(), Does.Not.Contain("paged line 10"));

        await Both(panes, pane => pane.SendLineAsync($"vim.tiny -u NONE -N -i NONE -n '{file}'"));
        await Both(panes, pane => pane.WaitForTextAsync("paged line 10"));
        await Both(panes, pane => pane.SendTextAsync(":q!"));
        await Both(panes, pane => pane.SendKeysAsync("Enter"));
        // Typing ahead while vim exits would feed vim: wait for the shell to be back.
        await Both(panes, pane => pane.WaitForScreenAsync(
            screen => !screen.Contains("paged line 10", StringComparison.Ordinal) && TestShell.ShowsPrompt(screen), "the shell after vim"));
        await Both(panes, pane => pane.SendLineAsync("echo after-vim"));
        await Both(panes, pane => pane.WaitForLineAsync("after-vim"));
        await PaneAgreement.AssertSameScreenAsync(session.Client, direct, TimeSpan.FromSeconds(10), "after vim");
        Assert.That(await session.Client.CapturePaneAsync(), Does.Not.Contain("paged line 10"));
    }

    private static Task Both(TmuxSession[] panes, Func<TmuxSession, Task> action) => Task.WhenAll(panes.Select(action));
}
