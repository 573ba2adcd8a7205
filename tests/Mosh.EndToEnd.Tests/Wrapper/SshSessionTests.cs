using Mosh.EndToEnd.Harness;

namespace Mosh.EndToEnd.Wrapper;

/// <summary>
/// Our <c>mosh</c> through a real sshd on 127.0.0.1 (the harness fixture), with upstream's mosh-client here and
/// upstream's mosh-server found on the remote PATH: every way of learning the server's address, and typing.
/// </summary>
public class SshSessionTests
{
    private const string UpstreamClient = "/usr/bin/mosh-client";
    private SshServer? _sshd;

    [OneTimeSetUp]
    public async Task StartSshd()
    {
        PublishedBinaries.Require("mosh");
        if (!File.Exists(UpstreamClient) || !File.Exists("/usr/bin/mosh-server"))
        {
            Assert.Fail("upstream mosh (Debian's mosh package) is needed for these sessions");
        }
        _sshd = await SshServer.StartAsync();
    }

    [OneTimeTearDown]
    public async Task StopSshd()
    {
        if (_sshd is not null)
        {
            await _sshd.DisposeAsync();
        }
    }

    private string[] Mosh(params string[] args) =>
        [PublishedBinaries.PathOf("mosh"), $"--client={UpstreamClient}", $"--ssh={_sshd!.ClientCommandLine}", .. args];

    [TestCase("proxy")]
    [TestCase("local")]
    [TestCase("remote")]
    public async Task Remote_command_runs_and_its_output_is_shown_whatever_the_address_discovery(string method)
    {
        await using TmuxSession tmux = await TmuxSession.StartAsync(
            Mosh("--no-init", $"--experimental-remote-ip={method}", SshServer.Destination, "--", "printf", "he%s\\n", "llo"));
        await tmux.WaitForLineAsync("hello");
        Assert.That(await tmux.WaitForExitAsync(), Is.EqualTo(0));
    }

    [Test]
    public async Task Typing_reaches_the_remote_shell_and_exit_ends_the_session()
    {
        await using TmuxSession tmux = await TmuxSession.StartAsync(
            Mosh("--no-init", "-p", "60900:60999", SshServer.Destination, "--", "sh"));
        await tmux.WaitForTextAsync("#");
        await tmux.SendLineAsync("echo ab$((40+2)) $TERM");
        await tmux.WaitForLineAsync("ab42 xterm-256color");
        await tmux.SendLineAsync("exit");
        Assert.That(await tmux.WaitForExitAsync(), Is.EqualTo(0));
    }

    [Test]
    public async Task Server_port_request_is_honoured()
    {
        // The server reports the port it bound; the remote command reads it back from the utmp-free way: ss.
        await using TmuxSession tmux = await TmuxSession.StartAsync(
            Mosh("--no-init", "-p", "60977", SshServer.Destination, "--", "sh", "-c", "ss -uln | grep -c ':60977 '"));
        await tmux.WaitForLineAsync("1");
        Assert.That(await tmux.WaitForExitAsync(), Is.EqualTo(0));
    }

    [Test]
    public async Task Ssh_failure_is_reported_with_upstreams_hint()
    {
        await using TmuxSession tmux = await TmuxSession.StartAsync(
            [PublishedBinaries.PathOf("mosh"), $"--client={UpstreamClient}", $"--ssh={_sshd!.ClientCommandLine}", "--server=/nonexistent/mosh-server", SshServer.Destination],
            new TmuxOptions { Width = 200 });
        await tmux.WaitForTextAsync("Did not find mosh server startup message. (Have you installed mosh on your server?)");
        Assert.That(await tmux.WaitForExitAsync(), Is.EqualTo(10));
    }
}
