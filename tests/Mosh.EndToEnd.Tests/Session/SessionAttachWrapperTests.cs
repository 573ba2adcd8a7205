using System.Diagnostics;
using System.Globalization;
using Mosh.EndToEnd.Harness;

namespace Mosh.EndToEnd.Session;

/// <summary>
/// <c>mosh --list</c> and <c>mosh --attach</c> through the harness's real sshd: ours lists and takes over a session
/// whose client died, showing its screen; against a host with only upstream's mosh-server both fail plainly, at once,
/// and leave no server behind (upstream would read <c>attach PID</c> as <c>IP PORT</c> and start one).
/// </summary>
[TestFixture]
[NonParallelizable]
public class SessionAttachWrapperTests : SessionControlFixture
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(40);

    [Test]
    public async Task Mosh_list_and_mosh_attach_over_ssh_show_and_take_over_a_session_whose_client_died()
    {
        var tag = new ProcessTag();
        await using SshServer sshd = await SshServer.StartAsync(new Dictionary<string, string>
        {
            ["XDG_RUNTIME_DIR"] = RuntimeDirectory,
            [ProcessTag.VariableName] = tag.Value,
        });
        await using MoshServer server = await StartSessionAsync();
        await using (TmuxSession first = await MoshClient.StartAsync(Ours, server.Port, server.Key))
        {
            await first.WaitForScreenAsync(TestShell.ShowsPrompt, "the prompt", Wait);
            await first.SendLineAsync("echo before");
            await first.WaitForLineAsync("before", Wait);
            ProcessTag.Signal(await first.PanePidAsync(), 9);
            await first.WaitForExitAsync(Wait);
        }

        ProcessResult list = await WrapperAsync(sshd, Ours.Server, "--list");
        Assert.That(list.ExitCode, Is.Zero, list.Describe());
        Assert.That(list.Stdout, Does.Contain("PID ").And.Match($@"(?m)^{server.Pid}\s"), list.Describe());

        // The goal is one round trip after the ssh login: the login alone, for comparison.
        var login = Stopwatch.StartNew();
        ProcessResult bare = await sshd.RunAsync("true");
        login.Stop();
        Assert.That(bare.ExitCode, Is.Zero, bare.Describe());

        var clock = Stopwatch.StartNew();
        await using TmuxSession wrapper = await MoshWrapper.StartAsync(Ours.Wrapper, sshd, clientPath: Ours.Client,
            serverPath: Ours.Server, extraArguments: [$"--attach={server.Pid}"]);
        await wrapper.WaitForLineAsync("before", Wait);
        TestContext.Progress.WriteLine(
            $"mosh --attach to the old screen shown: {clock.ElapsedMilliseconds} ms, of which a bare ssh login takes {login.ElapsedMilliseconds} ms");
        await wrapper.SendLineAsync("echo af''ter");
        await wrapper.WaitForLineAsync("after", Wait);
        Assert.That(tag.FindProcesses(), Is.Empty, "a server was started through ssh");
        await DetachedSessionTests.StopAsync(server);
    }

    [TestCase("--list")]
    [TestCase("--attach")]
    [TestCase("--attach=4242")]
    public async Task Against_upstreams_server_list_and_attach_fail_plainly_and_start_nothing(string option)
    {
        var tag = new ProcessTag();
        await using SshServer sshd = await SshServer.StartAsync(new Dictionary<string, string>
        {
            ["XDG_RUNTIME_DIR"] = RuntimeDirectory,
            [ProcessTag.VariableName] = tag.Value,
        });
        ProcessResult result = await WrapperAsync(sshd, MoshPrograms.Upstream.Server, option);
        Assert.That(result.TimedOut, Is.False, result.Describe());
        Assert.That(result.ExitCode, Is.Not.Zero, result.Describe());
        Assert.That(result.Stderr, Does.Contain("cannot list or attach sessions"), result.Describe());
        Assert.That(result.Stdout + result.Stderr, Does.Not.Contain("MOSH CONNECT"), result.Describe());
        await Task.Delay(500); // a stray server would be detaching now
        Assert.That(tag.FindProcesses(), Is.Empty, "a server was started through ssh");
    }

    [Test]
    public async Task Mosh_local_list_and_attach_work_without_ssh()
    {
        await using MoshServer server = await StartSessionAsync();
        ProcessResult list = await ProcessRunner.RunAsync(
            new ProcessSpec(Ours.Wrapper, "--local", "--list", "127.0.0.1") { Environment = ControlEnvironment }, Wait);
        Assert.That(list.ExitCode, Is.Zero, list.Describe());
        Assert.That(list.Stdout, Does.Match($@"(?m)^{server.Pid}\s"), list.Describe());

        await using TmuxSession wrapper = await TmuxSession.StartAsync(
            [Ours.Wrapper, "--local", $"--client={Ours.Client}", "--attach", "127.0.0.1"],
            new TmuxOptions { Environment = ControlEnvironment });
        await wrapper.WaitForScreenAsync(TestShell.ShowsPrompt, "the prompt", Wait);
        await wrapper.SendLineAsync("echo lo''cal");
        await wrapper.WaitForLineAsync("local", Wait);
        await DetachedSessionTests.StopAsync(server);
    }

    private static Task<ProcessResult> WrapperAsync(SshServer sshd, string serverPath, string option) =>
        ProcessRunner.RunAsync(new ProcessSpec(Ours.Wrapper, $"--ssh={sshd.ClientCommandLine}", $"--server={serverPath}",
            option, SshServer.Destination), TimeSpan.FromSeconds(60));
}
