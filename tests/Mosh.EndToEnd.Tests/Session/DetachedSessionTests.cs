using System.Text.RegularExpressions;
using Mosh.EndToEnd.Harness;

namespace Mosh.EndToEnd.Session;

/// <summary>
/// A new login session (no command: the login shell with the motd) warns about the user's detached mosh sessions
/// found in utmp, under the motd, as upstream does. The expected text is worked out from /run/utmp by the test's own
/// reader with upstream's rules, so an entry left behind by some earlier run changes the expectation, not the
/// verdict; Debian's mosh-server is held to the same expectation.
/// </summary>
[TestFixture]
[NonParallelizable]
public partial class DetachedSessionTests : UtmpFixture
{
    /// <summary>A login shell reads /etc/profile first: more time than the harness's default on a loaded box.</summary>
    private static readonly TimeSpan LoginWait = TimeSpan.FromSeconds(40);

    [TestCaseSource(typeof(MoshPrograms), nameof(MoshPrograms.BothNames))]
    public async Task A_login_session_names_the_one_detached_session_under_the_motd(string which)
    {
        await using MoshServer detached = await StartDetachedAsync();
        string screen = await LoginScreenAsync(which, [detached.Pid]);
        await StopAsync(detached);
        Assert.That(screen, Does.Contain($"Mosh: You have a detached Mosh session on this server (mosh [{detached.Pid}]).")
            .Or.Contain($"        - mosh [{detached.Pid}]"));
    }

    [TestCaseSource(typeof(MoshPrograms), nameof(MoshPrograms.BothNames))]
    public async Task A_login_session_lists_several_detached_sessions(string which)
    {
        await using MoshServer first = await StartDetachedAsync();
        await using MoshServer second = await StartDetachedAsync();
        string screen = await LoginScreenAsync(which, [first.Pid, second.Pid]);
        await StopAsync(first);
        await StopAsync(second);
        Assert.That(screen, Does.Match(@"Mosh: You have \d+ detached Mosh sessions on this server, with PIDs:"));
        Assert.That(screen, Does.Contain($"        - mosh [{first.Pid}]\n"));
        Assert.That(screen, Does.Contain($"        - mosh [{second.Pid}]\n"));
    }

    [Test]
    public async Task Hushlogin_and_a_given_command_show_no_warning()
    {
        MoshPrograms ours = MoshPrograms.RequireOurs();
        await using MoshServer detached = await StartDetachedAsync();
        using var home = new TempDirectory("mosh-e2e-home-");
        await File.WriteAllTextAsync(home.File(".hushlogin"), "");
        await using (MoshServer hushed = await MoshServer.StartAsync(ours, LoginShell(home.Path)))
        {
            await using TmuxSession client = await MoshClient.StartAsync(ours, hushed.Port, hushed.Key);
            await client.WaitForScreenAsync(ShowsShPrompt, "sh's prompt", LoginWait);
            await client.SendLineAsync("echo \"a\"\"live\"");
            string screen = await client.WaitForLineAsync("alive", LoginWait);
            Assert.That(screen, Does.Not.Contain("detached Mosh session"));
            await client.SendLineAsync("exit");
            await hushed.WaitForExitAsync(LoginWait);
        }

        await using (MoshSession command = await MoshSession.StartAsync(ours))
        {
            string commandScreen = await command.Client.CapturePaneAsync(includeHistory: true);
            Assert.That(commandScreen, Does.Not.Contain("detached Mosh session"));
            await command.Client.SendLineAsync("exit");
            await command.Server.WaitForExitAsync(LoginWait);
        }
        await StopAsync(detached);
    }

    /// <summary>A server of ours with no client: its utmp entry reads "mosh [PID]".</summary>
    private static async Task<MoshServer> StartDetachedAsync()
    {
        MoshServer server = await MoshServer.StartAsync(MoshPrograms.RequireOurs());
        await UtmpTests.WaitForHostAsync(server.Pid, $"mosh [{server.Pid}]");
        return server;
    }

    /// <summary>Ends a server and waits for it, so that it removes its utmp entry before the harness's clean-up
    /// (which also signals every process of the session, libutempter's helper included) could interrupt that.</summary>
    internal static async Task StopAsync(MoshServer server)
    {
        ProcessTag.Signal(server.Pid, 15);
        await server.WaitForExitAsync(TimeSpan.FromSeconds(20));
    }

    /// <summary>Starts a login session (sh as the login shell, an empty home), attaches a client and returns the
    /// screen once the warning shows, having checked it is the text upstream's rules give for utmp as it is.</summary>
    private static async Task<string> LoginScreenAsync(string which, int[] detachedPids)
    {
        MoshPrograms programs = MoshPrograms.Named(which);
        using var home = new TempDirectory("mosh-e2e-home-");
        await using TerminalServer server = await TerminalServer.StartAsync(programs.Server, LoginShell(home.Path).Environment);
        await UtmpTests.WaitForHostAsync(server.Pid, $"mosh [{server.Pid}]");
        List<string> expected = ExpectedDetached(server.Pid);
        Assert.That(expected, Is.SupersetOf(detachedPids.Select(pid => $"mosh [{pid}]")), UtmpFile.Describe());

        await using TmuxSession client = await MoshClient.StartAsync(programs, server.Port, server.Key);
        string lastLine = expected.Count == 1 ? "Mosh: You have a detached" : "        - " + expected[^1];
        string screen = await client.WaitForTextAsync(lastLine, LoginWait);
        Assert.That(Normalise(screen), Does.Contain(ExpectedText(expected)), UtmpFile.Describe());
        string coloured = await client.CapturePaneAsync(withEscapes: true, includeHistory: true);
        Assert.That(WhiteOnBlue().IsMatch(coloured), coloured);
        await client.WaitForScreenAsync(ShowsShPrompt, "sh's prompt", LoginWait);
        await client.SendLineAsync("exit");
        await Poll.UntilAsync(() => ProcessTag.IsGone(server.Pid), LoginWait, "the login session's server to exit");
        return Normalise(screen);
    }

    /// <summary>sh's prompt (# for root, $ otherwise) on the last non-blank line.</summary>
    private static bool ShowsShPrompt(string screen) => screen.TrimEnd().Split('\n')[^1].TrimEnd() is "#" or "$";

    private static MoshServerOptions LoginShell(string home) => new()
    {
        Command = null,
        Environment = new Dictionary<string, string?> { ["SHELL"] = "/bin/sh", ["HOME"] = home },
    };

    /// <summary>Upstream's rule over the file: the user's live entries reading "mosh ...]" on an existing
    /// terminal, other than the session's own.</summary>
    private static List<string> ExpectedDetached(int ownPid) =>
        [.. UtmpFile.ReadAll()
            .Where(r => r.IsUserProcess && r.User == Environment.UserName && r.Host.StartsWith("mosh ", StringComparison.Ordinal)
                && r.Host.EndsWith(']') && r.Host != $"mosh [{ownPid}]" && Path.Exists("/dev/" + r.Line))
            .Select(r => r.Host)];

    private static string ExpectedText(List<string> detached) =>
        detached.Count == 1
            ? $"Mosh: You have a detached Mosh session on this server ({detached[0]}).\n\n"
            : $"Mosh: You have {detached.Count} detached Mosh sessions on this server, with PIDs:\n"
                + string.Concat(detached.Select(d => $"        - {d}\n"));

    private static string Normalise(string screen) => string.Join('\n', screen.Split('\n').Select(l => l.TrimEnd()));

    /// <summary>tmux renders SGR 37;44 as either one or two sequences.</summary>
    [GeneratedRegex(@"\x1b\[(37;44|37m\x1b\[44|44;37|44m\x1b\[37)m(\x1b\[[0-9;]*m)*Mosh: You have ")]
    private static partial Regex WhiteOnBlue();
}
