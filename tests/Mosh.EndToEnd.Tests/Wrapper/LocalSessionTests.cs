using System.Diagnostics;

namespace Mosh.EndToEnd.Wrapper;

/// <summary>
/// <c>mosh --local</c> for real under a terminal (tmux on a private socket), with upstream's mosh-client and
/// mosh-server as the session: proves the bootstrap, the key hand-over and the exec end to end.
/// </summary>
public class LocalSessionTests
{
    private const string UpstreamClient = "/usr/bin/mosh-client";
    private const string UpstreamServer = "/usr/bin/mosh-server";

    private static void Tmux(string socket, params string[] args)
    {
        using var p = Process.Start(new ProcessStartInfo("tmux", ["-L", socket, .. args]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        p.WaitForExit();
    }

    private static string Capture(string socket)
    {
        using var p = Process.Start(new ProcessStartInfo("tmux", ["-L", socket, "capture-pane", "-p", "-J", "-t", "t"]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        string screen = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return screen;
    }

    /// <summary>Runs the command line in a 100x30 tmux pane and returns the screen once "rc=N" appears.</summary>
    private static string RunInTerminal(string commandLine)
    {
        string socket = "mosh-wrapper-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            Tmux(socket, "new-session", "-d", "-s", "t", "-x", "100", "-y", "30",
                $"env TERM=xterm-256color LANG=C.UTF-8 {commandLine}; echo rc=$?; sleep 60");
            var watch = Stopwatch.StartNew();
            string screen = "";
            while (watch.ElapsedMilliseconds < 20000)
            {
                screen = Capture(socket);
                if (screen.Contains("rc=", StringComparison.Ordinal))
                {
                    return screen;
                }
                Thread.Sleep(200);
            }
            Assert.Fail("the session did not finish in 20 s; screen:\n" + screen);
            return screen;
        }
        finally
        {
            Tmux(socket, "kill-server");
        }
    }

    [SetUp]
    public void RequireBinaries()
    {
        PublishedBinaries.Require("mosh");
        if (!File.Exists(UpstreamClient) || !File.Exists(UpstreamServer))
        {
            Assert.Fail("upstream mosh (Debian's mosh package) is needed as the session for this test");
        }
    }

    [Test]
    public void Local_session_with_upstream_client_and_server_runs_the_command_and_shows_its_output()
    {
        string screen = RunInTerminal(
            $"{PublishedBinaries.PathOf("mosh")} --no-init --client={UpstreamClient} --server={UpstreamServer} --local 127.0.0.1 -- printf 'he%s\\n' llo");
        Assert.That(screen, Does.Contain("hello"));
        Assert.That(screen, Does.Contain("[mosh is exiting.]"));
        Assert.That(screen, Does.Contain("rc=0"));
    }

    [Test]
    public void Local_session_passes_the_terminal_colours_and_locale_to_the_server()
    {
        // TERM on the server side follows the colour count mosh-client -c reported (256 -> xterm-256color).
        string screen = RunInTerminal(
            $"{PublishedBinaries.PathOf("mosh")} --no-init --client={UpstreamClient} --server={UpstreamServer} --local 127.0.0.1 -- sh -c 'echo \"T=$TERM L=$LANG\"'");
        Assert.That(screen, Does.Contain("T=xterm-256color L=C.UTF-8"));
    }

    [Test]
    public void Missing_server_is_reported_with_upstreams_hint()
    {
        string screen = RunInTerminal(
            $"{PublishedBinaries.PathOf("mosh")} --client={UpstreamClient} --server=/nonexistent/mosh-server --local 127.0.0.1");
        Assert.That(screen, Does.Contain("Did not find mosh server startup message. (Have you installed mosh on your server?)"));
        Assert.That(screen, Does.Contain("rc=10"));
    }
}
