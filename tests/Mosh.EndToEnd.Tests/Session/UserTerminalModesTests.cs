using System.Text;
using Mosh.EndToEnd.Harness;

namespace Mosh.EndToEnd.Session;

/// <summary>
/// Nothing but our own code writes to the user's terminal. The .NET console layer, once initialised, writes
/// terminfo's keypad_xmit (ESC[?1h ESC=: application cursor keys and keypad) and never undoes it; upstream leaves
/// both modes off after every way of leaving. Each program runs under script(1) inside tmux, so the test reads both
/// the exact bytes written to the terminal and the modes tmux ends up in.
/// </summary>
[TestFixture]
[NonParallelizable]
public class UserTerminalModesTests
{
    private const string OpenSequence = "\e[?1049h"; // the client's first bytes: the alternate screen (smcup)
    // The end of the client's mode resets when it gives the terminal back (the same in upstream's client and ours)...
    private const string CloseSequenceEnd = "\e[?1005l";
    // ...then xterm's rmcup (leave the alternate screen, pop the title), except from our client once the server keeps
    // scrollback: that client left the alternate screen for good when history was agreed.
    private const string ExitCaMode = "\e[?1049l\e[23;0;0t";
    private const string Keypad = "\e="; // DECKPAM, keypad_xmit's second half
    private static readonly TimeSpan ExitWait = TimeSpan.FromSeconds(20);

    public enum Leaving
    {
        ShellExits,
        EscapeKeyDot,
        SigTerm,
        SigHup,
        SigInt,
    }

    private static IEnumerable<TestCaseData> WaysOfLeaving()
    {
        foreach (Leaving how in Enum.GetValues<Leaving>())
        {
            yield return new TestCaseData("ours", how).SetArgDisplayNames("ours", how.ToString());
        }
        // Upstream's client, once, as the reference the expectations come from.
        yield return new TestCaseData("upstream", Leaving.ShellExits).SetArgDisplayNames("upstream", nameof(Leaving.ShellExits));
    }

    [TestCaseSource(nameof(WaysOfLeaving))]
    public async Task The_client_leaves_keypad_and_cursor_key_modes_off_and_writes_nothing_after_its_last_frame_but_the_exit_message(
        string which, Leaving how)
    {
        MoshPrograms programs = MoshPrograms.Named(which);
        using var directory = new TempDirectory("mosh-e2e-modes-");
        string typescript = directory.File("typescript");
        await using MoshServer server = await MoshServer.StartAsync(programs);
        var options = new TmuxOptions
        {
            Environment = new Dictionary<string, string?> { ["MOSH_KEY"] = server.Key, ["LANG"] = "C.UTF-8" },
        };
        await using TmuxSession pane = await TmuxSession.StartAsync(
            ["/usr/bin/script", "-qfec", $"{programs.Client} 127.0.0.1 {server.Port}", typescript], options);
        await pane.WaitForScreenAsync(TestShell.ShowsPrompt, "the prompt");

        switch (how)
        {
            case Leaving.ShellExits:
                await pane.SendLineAsync("exit");
                break;
            case Leaving.EscapeKeyDot:
                await pane.SendKeysAsync("C-^");
                await pane.SendTextAsync(".");
                break;
            default:
                int signal = how switch { Leaving.SigTerm => 15, Leaving.SigHup => 1, _ => 2 };
                int[] client = [.. pane.Tag.FindProcesses().Where(pid => ProcessName(pid) == "mosh-client")];
                Assert.That(client, Has.Length.EqualTo(1), "the client's process");
                ProcessTag.Signal(client[0], signal);
                break;
        }
        await pane.WaitForExitAsync(ExitWait);

        string modes = await pane.DisplayAsync("keypad=#{keypad_flag} cursor-keys=#{keypad_cursor_flag}");
        string written = Recorded(typescript);
        Assert.Multiple(() =>
        {
            Assert.That(modes, Is.EqualTo("keypad=0 cursor-keys=0"), "the terminal's modes after the client left");
            Assert.That(written, Does.Not.Contain(Keypad), "keypad mode is never switched on");
            Assert.That(written, Does.StartWith(OpenSequence), "the open sequence is the first thing written");
            int close = written.LastIndexOf(CloseSequenceEnd, StringComparison.Ordinal);
            Assert.That(close, Is.GreaterThanOrEqualTo(0), "the close sequence was written");
            string after = written[(close + CloseSequenceEnd.Length)..];
            if (after.StartsWith(ExitCaMode, StringComparison.Ordinal))
            {
                after = after[ExitCaMode.Length..];
            }
            Assert.That(after, Does.EndWith("[mosh is exiting.]\r\n"), "the exit message is the last thing written");
            Assert.That(after, Does.Not.Contain("\e"), "no escape sequence follows the close sequence");
        });
    }

    [Test]
    public async Task Our_client_asked_for_its_colour_count_writes_only_the_number()
    {
        MoshPrograms ours = MoshPrograms.RequireOurs();
        using var directory = new TempDirectory("mosh-e2e-modes-");
        string typescript = directory.File("typescript");
        await using TmuxSession pane = await TmuxSession.StartAsync(["/usr/bin/script", "-qfec", $"{ours.Client} -c", typescript]);
        Assert.That(await pane.WaitForExitAsync(ExitWait), Is.Zero);

        Assert.That(Recorded(typescript), Is.EqualTo("256\r\n"), "xterm-256color's colours and nothing else");
        Assert.That(await pane.DisplayAsync("#{keypad_flag}#{keypad_cursor_flag}"), Is.EqualTo("00"));
    }

    [Test]
    public async Task Our_server_started_on_a_terminal_writes_no_terminal_modes()
    {
        MoshPrograms ours = MoshPrograms.RequireOurs();
        using var directory = new TempDirectory("mosh-e2e-modes-");
        string typescript = directory.File("typescript");
        // The wrapper runs mosh-server over ssh -tt: what it writes lands on the user's terminal.
        await using TmuxSession pane = await TmuxSession.StartAsync(
            ["/usr/bin/script", "-qfec", $"{ours.Server} new -i 127.0.0.1 -- /bin/sleep 60", typescript],
            new TmuxOptions { Environment = new Dictionary<string, string?> { ["LANG"] = "C.UTF-8" } });
        Assert.That(await pane.WaitForExitAsync(ExitWait), Is.Zero);

        string written = Recorded(typescript);
        Assert.That(written, Does.Contain("MOSH CONNECT "));
        Assert.That(written, Does.Not.Contain("\e"), "no escape sequence at all: " + Printable(written));
        Assert.That(await pane.DisplayAsync("#{keypad_flag}#{keypad_cursor_flag}"), Is.EqualTo("00"));
    }

    /// <summary>What the program wrote to script(1)'s terminal: the typescript without script's own header and
    /// footer lines (which -q still puts in the file).</summary>
    private static string Recorded(string typescript)
    {
        string text = Encoding.UTF8.GetString(File.ReadAllBytes(typescript));
        int start = text.IndexOf('\n', StringComparison.Ordinal) + 1;
        int footer = text.LastIndexOf("\nScript done on ", StringComparison.Ordinal);
        // script ends the recording with a newline of its own before the footer.
        return text[start..(footer < start ? text.Length : footer)];
    }

    private static string Printable(string text) => text.Replace("\e", "ESC", StringComparison.Ordinal);

    private static string ProcessName(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim();
        }
        catch (IOException)
        {
            return "";
        }
    }
}
