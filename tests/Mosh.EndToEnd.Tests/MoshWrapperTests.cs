using Mosh.EndToEnd.Harness;

namespace Mosh.EndToEnd;

/// <summary>The whole product path: the mosh wrapper bootstraps over ssh (the sshd fixture) and connects.</summary>
[TestFixture]
internal sealed class MoshWrapperTests
{
    [Test]
    public async Task Upstream_mosh_over_the_sshd_fixture_runs_a_shell_and_exit_ends_it()
    {
        MoshPrograms upstream = MoshPrograms.Upstream;
        await using SshServer sshd = await SshServer.StartAsync();
        await using TmuxSession tmux = await MoshWrapper.StartAsync(upstream.Wrapper, sshd, TestShell.Command);
        await tmux.WaitForScreenAsync(TestShell.ShowsPrompt, "the remote prompt");

        await tmux.SendLineAsync(MoshSession.EchoCommand("over-ssh-42"));
        await tmux.WaitForLineAsync("over-ssh-42");
        await tmux.SendLineAsync("exit");

        Assert.That(await tmux.WaitForExitAsync(), Is.Zero);
        Assert.That(sshd.Log, Does.Contain("Accepted publickey for root"));
    }

    [Test]
    public async Task Upstream_mosh_with_explicit_client_and_server_paths_runs_the_login_shell()
    {
        MoshPrograms upstream = MoshPrograms.Upstream;
        await using SshServer sshd = await SshServer.StartAsync();
        await using TmuxSession tmux = await MoshWrapper.StartAsync(upstream.Wrapper, sshd, clientPath: upstream.Client, serverPath: upstream.Server);

        // Root's login shell: its prompt (whatever the machine's rc files make it) ends in "#".
        await tmux.WaitForScreenAsync(screen => screen.TrimEnd().EndsWith('#'), "the login shell's prompt");
        await tmux.SendLineAsync(MoshSession.EchoCommand("login-shell-7"));
        await tmux.WaitForLineAsync("login-shell-7");
        await tmux.SendLineAsync("exit");

        Assert.That(await tmux.WaitForExitAsync(), Is.Zero);
    }

    [Test]
    public async Task Upstream_mosh_wrapper_drives_our_client_and_our_server_through_sshd()
    {
        MoshPrograms upstream = MoshPrograms.Upstream;
        MoshPrograms ours = MoshPrograms.RequireOurs();
        await using SshServer sshd = await SshServer.StartAsync();
        await using TmuxSession tmux = await MoshWrapper.StartAsync(
            upstream.Wrapper, sshd, TestShell.Command, clientPath: ours.Client, serverPath: ours.Server);
        await tmux.WaitForScreenAsync(TestShell.ShowsPrompt, "the remote prompt");

        // The shell's parent is the remote mosh-server: prove it is ours, not Debian's.
        await tmux.SendLineAsync("echo \"server=$(readlink -f /proc/$PPID/exe)\"");
        await tmux.WaitForLineAsync("server=" + Path.GetFullPath(ours.Server));
        await tmux.SendLineAsync(MoshSession.EchoCommand("upstream-wrapper-ours-9"));
        await tmux.WaitForLineAsync("upstream-wrapper-ours-9");
        await tmux.SendLineAsync("exit");

        Assert.That(await tmux.WaitForExitAsync(), Is.Zero);
    }
}
