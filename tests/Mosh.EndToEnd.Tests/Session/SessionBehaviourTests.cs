using System.Diagnostics;
using Mosh.EndToEnd.Harness;

namespace Mosh.EndToEnd.Session;

/// <summary>Behaviour of our client and server around a session: escape key, titles, signals, failures.</summary>
[TestFixture]
[NonParallelizable]
public class SessionBehaviourTests
{
    private static readonly TimeSpan ExitWait = TimeSpan.FromSeconds(20);

    [Test]
    public async Task The_escape_key_followed_by_caret_sends_a_literal_ctrl_caret_and_dot_then_quits()
    {
        MoshPrograms ours = MoshPrograms.RequireOurs();
        await using MoshSession session = await MoshSession.StartAsync(ours);
        // Keys typed ahead while bash's readline still holds the terminal raw reach cat unechoed, Enter as a bare
        // ^M ("^^x^M", no line "^^x"): wait for output printed after bash has given the terminal back (cooked).
        await session.Client.SendLineAsync(MoshSession.EchoCommand("cat-ready") + "; cat -v");
        await session.Client.WaitForLineAsync("cat-ready");
        await session.Client.SendKeysAsync("C-^");
        await session.Client.SendTextAsync("^x");
        await session.Client.SendKeysAsync("Enter");
        await session.Client.WaitForLineAsync("^^x");

        await session.Client.SendKeysAsync("C-^");
        await session.Client.WaitForTextAsync("Commands: Ctrl-Z suspends, \".\" quits, \"^\" gives literal Ctrl-^");
        await session.Client.SendTextAsync(".");
        Assert.That(await session.Client.WaitForExitAsync(ExitWait), Is.Zero, "the server acknowledged the shutdown");
        await session.Server.WaitForExitAsync(ExitWait);
    }

    [Test]
    public async Task The_window_title_gets_the_mosh_prefix_unless_MOSH_TITLE_NOPREFIX_is_set()
    {
        MoshPrograms ours = MoshPrograms.RequireOurs();
        // Without smcup/rmcup, whose title push/pop would hide what the last frame does to the title.
        var noInit = new TmuxOptions { Environment = new Dictionary<string, string?> { ["MOSH_NO_TERM_INIT"] = "1" } };
        await using (MoshSession session = await MoshSession.StartAsync(ours, ours, clientOptions: noInit))
        {
            await session.Client.SendLineAsync("printf '\\033]0;%s\\007' 'my title'");
            await Poll.UntilAsync(async () => await session.Client.DisplayAsync("#{pane_title}") == "[mosh] my title",
                TimeSpan.FromSeconds(10), () => "the prefixed title");
            await session.Client.SendLineAsync("exit");
            Assert.That(await session.Client.WaitForExitAsync(ExitWait), Is.Zero);
            Assert.That(await session.Client.DisplayAsync("#{pane_title}"), Is.EqualTo("my title"), "the prefix goes at exit");
        }

        MoshServer server = await MoshServer.StartAsync(ours);
        await using (server)
        {
            var options = new TmuxOptions { Environment = new Dictionary<string, string?> { ["MOSH_TITLE_NOPREFIX"] = "" } };
            await using TmuxSession client = await MoshClient.StartAsync(ours, server.Port, server.Key, options);
            await client.WaitForScreenAsync(TestShell.ShowsPrompt, "the prompt");
            await client.SendLineAsync("printf '\\033]0;%s\\007' 'bare title'");
            await Poll.UntilAsync(async () => await client.DisplayAsync("#{pane_title}") == "bare title",
                TimeSpan.FromSeconds(10), () => "the title without prefix");
        }
    }

    [Test]
    public async Task A_silent_server_shows_the_last_contact_bar_until_it_is_heard_again()
    {
        MoshPrograms ours = MoshPrograms.RequireOurs();
        await using MoshSession session = await MoshSession.StartAsync(ours);
        session.Relay.Blackout = true;
        await session.Client.WaitForScreenAsync(
            screen => screen.Contains("mosh: Last contact ", StringComparison.Ordinal)
                && screen.Contains(" seconds ago. [To quit: Ctrl-^ .]", StringComparison.Ordinal),
            "the last-contact bar", TimeSpan.FromSeconds(15));
        session.Relay.Blackout = false;
        await session.Client.WaitForScreenAsync(screen => !screen.Contains("mosh: Last contact", StringComparison.Ordinal),
            "the bar to go", TimeSpan.FromSeconds(15));
        await session.RunCommandAsync("back");
    }

    [Test]
    public async Task A_client_without_a_server_says_so_in_the_bar_and_explains_on_exit()
    {
        MoshPrograms ours = MoshPrograms.RequireOurs();
        int port = FreePort.Udp();
        await using TmuxSession client = await MoshClient.StartAsync(ours, port, "AAAAAAAAAAAAAAAAAAAAAA");
        await client.WaitForTextAsync($"mosh: Nothing received from server on UDP port {port}. [To quit: Ctrl-^ .]");
        await client.SendKeysAsync("C-^");
        await client.SendTextAsync(".");
        int status = await client.WaitForExitAsync(ExitWait);
        string screen = await client.CapturePaneAsync(includeHistory: true);
        Assert.That(status, Is.EqualTo(1), screen);
        Assert.That(screen, Does.Contain($"mosh did not make a successful connection to 127.0.0.1:{port}."));
        Assert.That(screen, Does.Contain("[mosh is exiting.]"));
    }

    [Test]
    public async Task SIGUSR1_ends_a_server_idle_longer_than_MOSH_SERVER_SIGNAL_TMOUT()
    {
        MoshPrograms ours = MoshPrograms.RequireOurs();
        var options = new MoshServerOptions { Environment = new Dictionary<string, string?> { ["MOSH_SERVER_SIGNAL_TMOUT"] = "1" } };
        await using MoshSession session = await MoshSession.StartAsync(ours, options);
        session.Relay.Blackout = true;
        await Task.Delay(1500);
        ProcessTag.Signal(session.Server.Pid, 10); // SIGUSR1
        await session.Server.WaitForExitAsync(TimeSpan.FromSeconds(10));
    }

    [Test]
    public async Task SIGUSR1_spares_a_server_whose_client_spoke_recently()
    {
        MoshPrograms ours = MoshPrograms.RequireOurs();
        var options = new MoshServerOptions { Environment = new Dictionary<string, string?> { ["MOSH_SERVER_SIGNAL_TMOUT"] = "30" } };
        await using MoshSession session = await MoshSession.StartAsync(ours, options);
        ProcessTag.Signal(session.Server.Pid, 10); // SIGUSR1
        await session.RunCommandAsync("spared");
        Assert.That(session.Server.HasExited, Is.False);
    }

    [Test]
    public async Task SIGTERM_makes_the_server_shut_the_session_down_with_its_client()
    {
        MoshPrograms ours = MoshPrograms.RequireOurs();
        await using MoshSession session = await MoshSession.StartAsync(ours);
        ProcessTag.Signal(session.Server.Pid, 15);
        Assert.That(await session.Client.WaitForExitAsync(ExitWait), Is.Zero);
        await session.Server.WaitForExitAsync(ExitWait);
    }

    [Test]
    public async Task The_shell_sees_TERM_for_the_colours_and_none_of_the_servers_hand_over_variables()
    {
        MoshPrograms ours = MoshPrograms.RequireOurs();
        var options = new MoshServerOptions { ExtraArguments = ["-c", "256"] };
        await using MoshSession session = await MoshSession.StartAsync(ours, options);
        await session.Client.SendLineAsync("echo \"T=$TERM A=$NCURSES_NO_UTF8_ACS D=$(env | grep -c MOSH_SERVER_DAEMON)\"");
        await session.Client.WaitForLineAsync("T=xterm-256color A=1 D=0");
        string cmdline = await File.ReadAllTextAsync($"/proc/{session.Server.Pid}/cmdline");
        Assert.That(cmdline, Does.Not.Contain(session.Server.Key), "the key never travels in argv");
    }

    [Test]
    public async Task The_server_refuses_a_non_UTF8_locale_unless_the_client_supplies_one()
    {
        MoshPrograms ours = MoshPrograms.RequireOurs();
        var psi = new ProcessStartInfo(ours.Server, ["new", "--", "true"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.Environment["LANG"] = "C";
        psi.Environment.Remove("LC_ALL");
        psi.Environment.Remove("LC_CTYPE");
        using Process refused = Process.Start(psi)!;
        string stderr = await refused.StandardError.ReadToEndAsync();
        await refused.WaitForExitAsync();
        Assert.That(refused.ExitCode, Is.EqualTo(1));
        Assert.That(stderr, Does.StartWith("mosh-server needs a UTF-8 native locale to run.\n\n" +
            "Unfortunately, the local environment (LANG=C) specifies\nthe character set \"US-ASCII\",\n\n" +
            "The client-supplied environment ([no charset variables]) specifies\nthe character set \"US-ASCII\".\n\n"));

        var options = new MoshServerOptions
        {
            Environment = new Dictionary<string, string?> { ["LANG"] = "C" },
            ExtraArguments = ["-l", "LANG=C.UTF-8"],
        };
        await using MoshSession session = await MoshSession.StartAsync(ours, options);
        await session.Client.SendLineAsync("echo \"L=$LANG\"");
        await session.Client.WaitForLineAsync("L=C.UTF-8");
    }
}
