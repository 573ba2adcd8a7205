using Mosh.EndToEnd.Harness;

namespace Mosh.EndToEnd.Wrapper;

/// <summary>
/// <c>mosh --local</c> for real under a terminal (the harness's tmux), with upstream's mosh-client and mosh-server
/// as the session: proves the bootstrap, the key hand-over and the exec end to end without ssh.
/// </summary>
public class LocalSessionTests
{
    private const string UpstreamClient = "/usr/bin/mosh-client";
    private const string UpstreamServer = "/usr/bin/mosh-server";

    [SetUp]
    public void RequireBinaries()
    {
        PublishedBinaries.Require("mosh");
        if (!File.Exists(UpstreamClient) || !File.Exists(UpstreamServer))
        {
            Assert.Fail("upstream mosh (Debian's mosh package) is needed as the session for this test");
        }
    }

    private static Task<TmuxSession> Start(string server, params string[] args) => TmuxSession.StartAsync(
        [PublishedBinaries.PathOf("mosh"), $"--client={UpstreamClient}", $"--server={server}", "--local", "127.0.0.1", .. args],
        new TmuxOptions { Width = 200 });

    [Test]
    public async Task Local_session_with_upstream_client_and_server_runs_the_command_and_shows_its_output()
    {
        await using TmuxSession tmux = await Start(UpstreamServer, "--no-init", "--", "printf", "he%s\\n", "llo");
        await tmux.WaitForLineAsync("hello");
        Assert.That(await tmux.WaitForExitAsync(), Is.EqualTo(0));
        Assert.That(await tmux.CapturePaneAsync(includeHistory: true), Does.Contain("[mosh is exiting.]"));
    }

    [Test]
    public async Task Local_session_passes_the_terminal_colours_and_locale_to_the_server()
    {
        // TERM on the server side follows the colour count mosh-client -c reported (256 -> xterm-256color).
        await using TmuxSession tmux = await Start(UpstreamServer, "--no-init", "--", "sh", "-c", "echo \"T=$TERM L=$LANG\"");
        await tmux.WaitForLineAsync("T=xterm-256color L=C.UTF-8");
        Assert.That(await tmux.WaitForExitAsync(), Is.EqualTo(0));
    }

    [Test]
    public async Task Without_no_init_the_alternate_screen_hides_the_session_afterwards()
    {
        // The client switches to the alternate screen and back (smcup/rmcup): the output does not stay behind.
        await using TmuxSession tmux = await Start(UpstreamServer, "--", "sh", "-c", "echo inside-session; sleep 1");
        Assert.That(await tmux.WaitForExitAsync(), Is.EqualTo(0));
        string screen = await tmux.CapturePaneAsync(includeHistory: true);
        Assert.That(screen, Does.Contain("[mosh is exiting.]").And.Not.Contain("inside-session"));
    }

    [Test]
    public async Task Missing_server_is_reported_with_upstreams_hint()
    {
        await using TmuxSession tmux = await Start("/nonexistent/mosh-server");
        await tmux.WaitForTextAsync("Did not find mosh server startup message. (Have you installed mosh on your server?)");
        Assert.That(await tmux.WaitForExitAsync(), Is.EqualTo(10));
    }
}
