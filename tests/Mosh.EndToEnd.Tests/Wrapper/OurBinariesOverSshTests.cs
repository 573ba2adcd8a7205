using System.Globalization;
using Mosh.EndToEnd.Harness;

namespace Mosh.EndToEnd.Wrapper;

/// <summary>
/// Our whole stack over the harness's real sshd: our <c>mosh</c> wrapper bootstraps our mosh-server (the remote
/// <c>--server=</c> is the published one) and hands over to our mosh-client (found next to the wrapper).
/// </summary>
public class OurBinariesOverSshTests
{
    private const string MissingServerHint = "Did not find mosh server startup message. (Have you installed mosh on your server?)";
    private SshServer? _sshd;
    private MoshPrograms _ours = null!;

    [OneTimeSetUp]
    public async Task StartSshd()
    {
        _ours = MoshPrograms.RequireOurs();
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

    private Task<TmuxSession> StartOurs(IReadOnlyList<string>? command = null, params string[] extraArguments) =>
        MoshWrapper.StartAsync(_ours.Wrapper, _sshd!, command, serverPath: _ours.Server, extraArguments: extraArguments,
            options: new TmuxOptions { Width = 120 });

    /// <summary>A root shell prompt: a screen line ending in '#'.</summary>
    private static Task WaitForPromptAsync(TmuxSession tmux) =>
        tmux.WaitForScreenAsync(screen => screen.Split('\n').Any(line => line.TrimEnd().EndsWith('#')), "a root shell prompt");

    [Test]
    public async Task Login_shell_runs_commands_follows_a_resize_and_exit_ends_with_status_zero()
    {
        await using TmuxSession tmux = await StartOurs();
        await WaitForPromptAsync(tmux);
        await tmux.SendLineAsync("echo ab$((40+2))");
        await tmux.WaitForLineAsync("ab42");

        await tmux.ResizeAsync(100, 30);
        // The resize and the keys travel separately to the pane; ask again until the new size is reported.
        await Poll.UntilAsync(
            async () =>
            {
                await tmux.SendLineAsync("stty size");
                return await ScreenShowsWithinAsync(tmux, "30 100", TimeSpan.FromSeconds(3));
            },
            TimeSpan.FromSeconds(20),
            () => "stty size to report 30 100 after the resize");

        await tmux.SendLineAsync("exit");
        Assert.That(await tmux.WaitForExitAsync(), Is.EqualTo(0));
    }

    private static async Task<bool> ScreenShowsWithinAsync(TmuxSession tmux, string line, TimeSpan timeout)
    {
        try
        {
            await tmux.WaitForLineAsync(line, timeout);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    [Test]
    public async Task Remote_command_output_is_shown_and_the_session_exits_with_status_zero()
    {
        await using TmuxSession tmux = await StartOurs(["printf", "he%s\\n", "llo"], "--no-init");
        await tmux.WaitForLineAsync("hello");
        Assert.That(await tmux.WaitForExitAsync(), Is.EqualTo(0));
    }

    [Test]
    public async Task Session_without_prediction_echoes_typing_from_our_mosh_server()
    {
        string ourServer = (await ProcessRunner.RunAsync("/usr/bin/readlink", "-f", _ours.Server)).EnsureSuccess().Stdout.Trim();
        await using TmuxSession tmux = await StartOurs(["sh"], "--no-init", "--predict=never");
        await WaitForPromptAsync(tmux);
        await tmux.SendLineAsync("echo cd$((50+5))");
        await tmux.WaitForLineAsync("cd55");
        // The shell's parent is the server the wrapper started over ssh.
        await tmux.SendLineAsync("echo server=$(readlink -f /proc/$PPID/exe)");
        await tmux.WaitForLineAsync("server=" + ourServer);
        await tmux.SendLineAsync("exit");
        Assert.That(await tmux.WaitForExitAsync(), Is.EqualTo(0));
    }

    [Test]
    public async Task Requested_server_port_is_the_one_the_server_listens_on()
    {
        int port = FreePort.Udp();
        string portText = port.ToString(CultureInfo.InvariantCulture);
        await using TmuxSession tmux = await StartOurs(
            ["sh", "-c", $"echo listening=$(ss -Hnul 'sport = :{portText}' | wc -l)"], "--no-init", "-p", portText);
        await tmux.WaitForLineAsync("listening=1");
        Assert.That(await tmux.WaitForExitAsync(), Is.EqualTo(0));
    }

    // Through the wrapper's own ProxyCommand (the default) the connect error is the proxy's and ssh reports the
    // closed connection; with --experimental-remote-ip=local ssh connects itself and reports the refusal.
    [TestCase("proxy", "Connection closed by")]
    [TestCase("local", "ssh: connect to host 127.0.0.1 port 1: Connection refused")]
    public async Task Ssh_that_cannot_connect_reports_its_own_error_and_a_nonzero_status(string method, string sshError)
    {
        string closedPortSsh = $"{SshServer.SshPath} -F /dev/null -p 1 -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null";
        await using TmuxSession tmux = await TmuxSession.StartAsync(
            [_ours.Wrapper, $"--ssh={closedPortSsh}", $"--server={_ours.Server}", $"--experimental-remote-ip={method}", SshServer.Destination],
            new TmuxOptions { Width = 200 });
        await tmux.WaitForTextAsync(sshError);
        Assert.That(await tmux.WaitForExitAsync(), Is.Not.EqualTo(0));
    }

    [Test]
    public async Task Missing_remote_server_is_reported_with_upstreams_hint()
    {
        await using TmuxSession tmux = await MoshWrapper.StartAsync(_ours.Wrapper, _sshd!, serverPath: "/nonexistent/mosh-server",
            options: new TmuxOptions { Width = 200 });
        await tmux.WaitForTextAsync(MissingServerHint);
        Assert.That(await tmux.WaitForExitAsync(), Is.EqualTo(10));
    }
}
