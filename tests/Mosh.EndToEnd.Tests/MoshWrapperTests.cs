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
        await using TmuxSession tmux = await TmuxSession.StartAsync(
            [upstream.Wrapper, $"--ssh={sshd.ClientCommandLine}", SshServer.Destination, "--", .. TestShell.Command]);
        await tmux.WaitForScreenAsync(TestShell.ShowsPrompt, "the remote prompt");

        await tmux.SendLineAsync(MoshSession.EchoCommand("over-ssh-42"));
        await tmux.WaitForLineAsync("over-ssh-42");
        await tmux.SendLineAsync("exit");

        Assert.That(await tmux.WaitForExitAsync(), Is.Zero);
        Assert.That(sshd.Log, Does.Contain("Accepted publickey for root"));
    }
}
