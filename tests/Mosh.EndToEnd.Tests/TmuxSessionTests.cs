using Mosh.EndToEnd.Harness;

namespace Mosh.EndToEnd;

[TestFixture]
internal sealed class TmuxSessionTests
{
    [Test]
    public async Task Pane_is_80x24_with_the_given_term_and_locale()
    {
        await using TmuxSession tmux = await TmuxSession.StartAsync(["/bin/sh", "-c", "echo \"$TERM $LANG $(tput cols)x$(tput lines)\"; exec cat"]);

        await tmux.WaitForLineAsync("xterm-256color C.UTF-8 80x24");
    }

    [Test]
    public async Task Typed_text_and_keys_reach_the_command_and_its_output_is_captured()
    {
        await using TmuxSession tmux = await TmuxSession.StartAsync(TestShell.Command);
        await tmux.WaitForScreenAsync(TestShell.ShowsPrompt, "the prompt");

        await tmux.SendLineAsync("echo tok-$((40+2))");

        await tmux.WaitForLineAsync("tok-42");
    }

    [Test]
    public async Task Exit_status_of_the_pane_command_is_reported()
    {
        await using TmuxSession tmux = await TmuxSession.StartAsync(["/bin/sh", "-c", "read x; exit 3"]);
        Assert.That(await tmux.IsPaneDeadAsync(), Is.False);

        await tmux.SendKeysAsync("Enter");

        Assert.That(await tmux.WaitForExitAsync(), Is.EqualTo(3));
    }

    [Test]
    public async Task Ctrl_c_interrupts_the_command()
    {
        await using TmuxSession tmux = await TmuxSession.StartAsync(["/bin/sh", "-c", "echo ready; exec sleep 60"]);
        await tmux.WaitForLineAsync("ready");

        await tmux.SendKeysAsync("C-c");

        Assert.That(await tmux.WaitForExitAsync(), Is.EqualTo(128 + 2), "killed by SIGINT");
    }

    [Test]
    public async Task Resize_changes_the_size_the_command_sees()
    {
        await using TmuxSession tmux = await TmuxSession.StartAsync(TestShell.Command);
        await tmux.WaitForScreenAsync(TestShell.ShowsPrompt, "the prompt");

        await tmux.ResizeAsync(100, 30);
        await tmux.SendLineAsync("echo size-$(tput cols)x$(tput lines)");

        await tmux.WaitForLineAsync("size-100x30");
    }

    [Test]
    public async Task Capture_with_escapes_shows_attributes()
    {
        await using TmuxSession tmux = await TmuxSession.StartAsync(["/bin/sh", "-c", "printf 'plain \\033[1mbold\\033[0m\\n'; exec cat"]);

        await tmux.WaitForTextAsync("plain bold");

        Assert.That(await tmux.CapturePaneAsync(withEscapes: true), Does.Contain("\u001b[1mbold"));
    }

    [Test]
    public async Task Disposal_kills_what_ran_in_the_pane()
    {
        int pid;
        await using (TmuxSession tmux = await TmuxSession.StartAsync(["/bin/sh", "-c", "echo pid=$$; exec sleep 60"]))
        {
            string screen = await tmux.WaitForTextAsync("pid=");
            string line = screen.Split('\n').First(l => l.StartsWith("pid=", StringComparison.Ordinal));
            pid = int.Parse(line.AsSpan(4).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        }

        await Poll.UntilAsync(() => ProcessTag.IsGone(pid), TimeSpan.FromSeconds(10), "the pane command to die");
    }
}
