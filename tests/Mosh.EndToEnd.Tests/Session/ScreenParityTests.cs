using System.Text;
using Mosh.EndToEnd.Harness;

namespace Mosh.EndToEnd.Session;

/// <summary>
/// What a program draws looks the same through mosh as run directly in tmux, in every pairing of ours and
/// upstream's client and server: one script shows colours and attributes, then Unicode (wide, combining, emoji,
/// a wide character wrapping at the margin), then a full-screen vim that is resized. Each screen, as
/// <c>capture-pane -e</c> (text and SGR attributes) plus the cursor position, must come to match the same script
/// in a plain tmux pane of the same size.
/// </summary>
[TestFixture]
[NonParallelizable]
public class ScreenParityTests
{
    private static readonly TimeSpan ExitWait = TimeSpan.FromSeconds(20);

    // Headings that tell each scenario's screen apart from the one before it.
    private const string ColoursHeading = "colours and attributes";
    private const string UnicodeHeading = "wide and combining characters";
    private const string VimLine = "value22 = 484";

    private static IEnumerable<TestCaseData> Pairings()
    {
        yield return new TestCaseData("ours", "ours").SetName("Our_client_with_our_server_draws_screens_as_tmux_does");
        yield return new TestCaseData("ours", "upstream").SetName("Our_client_with_upstreams_server_draws_screens_as_tmux_does");
        yield return new TestCaseData("upstream", "ours").SetName("Upstreams_client_with_our_server_draws_screens_as_tmux_does");
    }

    [TestCaseSource(nameof(Pairings))]
    public async Task Colours_unicode_and_a_resized_vim_look_the_same_through_mosh_as_directly_in_tmux(string client, string server)
    {
        using var directory = new TempDirectory("mosh-e2e-parity-");
        string script = await WriteScript(directory);

        // mosh-server new without -c gives its program TERM=xterm; the direct pane's program gets the same.
        await using MoshSession session = await MoshSession.StartAsync(
            MoshPrograms.Named(server), MoshPrograms.Named(client), new MoshServerOptions { Command = ["/bin/sh", script] });
        await using TmuxSession direct = await TmuxSession.StartAsync(["/usr/bin/env", "TERM=xterm", "/bin/sh", script]);
        TmuxSession[] panes = [session.Client, direct];

        await AssertSameScreen(session, direct, ColoursHeading, "colours and attributes");
        await SendToBoth(panes, pane => pane.SendKeysAsync("Enter"));

        await AssertSameScreen(session, direct, UnicodeHeading, "wide, combining and emoji characters");
        await SendToBoth(panes, pane => pane.SendKeysAsync("Enter"));

        await AssertSameScreen(session, direct, VimLine, "vim at 80x24");
        await SendToBoth(panes, pane => pane.ResizeAsync(100, 30));
        await SendToBoth(panes, pane => pane.WaitForTextAsync("value28 = 784"));
        await AssertSameScreen(session, direct, "value28 = 784", "vim after a resize to 100x30");

        await SendToBoth(panes, pane => pane.SendTextAsync("5jwwOinserted line"));
        await SendToBoth(panes, pane => pane.SendKeysAsync("Escape"));
        await AssertSameScreen(session, direct, "inserted line", "vim after an edit at 100x30");

        await session.Client.SendTextAsync(":q!");
        await session.Client.SendKeysAsync("Enter");
        Assert.That(await session.Client.WaitForExitAsync(ExitWait), Is.Zero, "the client exits when vim does");
    }

    /// <summary>Waits for <paramref name="shown"/> in both panes, then until their screens and cursors agree (mosh
    /// sends frames as they settle), and asserts they do.</summary>
    private static async Task AssertSameScreen(MoshSession session, TmuxSession direct, string shown, string scenario)
    {
        await direct.WaitForTextAsync(shown);
        await session.Client.WaitForTextAsync(shown);
        await PaneAgreement.AssertSameScreenAsync(session.Client, direct, TimeSpan.FromSeconds(10), scenario);
    }

    private static Task SendToBoth(TmuxSession[] panes, Func<TmuxSession, Task> action) => Task.WhenAll(panes.Select(action));

    /// <summary>Writes the scenarios' output files, vim's file and the script that shows them one after another
    /// (each waits for Enter, unechoed); returns the script's path.</summary>
    private static async Task<string> WriteScript(TempDirectory directory)
    {
        const string Esc = "\u001b";
        var colours = new StringBuilder($"{Esc}[H{Esc}[2J{ColoursHeading}\r\n");
        // Only the eight basic colours as 30-37/40-47 and 256-colour indices from 16 on: bright colours (90-97) and
        // indices 0-15 are redrawn by mosh (upstream's and ours) in another spelling of the same colour, which tmux
        // keeps apart in capture-pane, so they would differ by design.
        for (int i = 0; i < 8; i++)
        {
            colours.Append($"{Esc}[{30 + i}m fg{i} {Esc}[{40 + i}m bg{i} {Esc}[0m");
        }
        colours.Append("\r\n");
        for (int i = 16; i < 256; i += 5)
        {
            colours.Append($"{Esc}[38;5;{i}m{i % 10}{Esc}[48;5;{271 - i}mx");
        }
        colours.Append($"{Esc}[0m\r\n");
        for (int i = 0; i < 64; i++)
        {
            colours.Append($"{Esc}[38;2;{i * 4};{255 - i * 4};{i * 2}m{Esc}[48;2;{i};{i * 3};{200 - i}m*");
        }
        // Faint (SGR 2) is left out: mosh's renditions have no faint attribute.
        colours.Append($"{Esc}[0m\r\n{Esc}[1mbold{Esc}[0m {Esc}[3mitalic{Esc}[0m {Esc}[4munderline{Esc}[0m {Esc}[5mblink{Esc}[0m ");
        colours.Append($"{Esc}[7minverse{Esc}[0m {Esc}[8minvisible{Esc}[0m {Esc}[1;4;31;42mmixed{Esc}[22;24mplain{Esc}[39;49m\r\n");
        colours.Append($"tabs:\tone\ttwo\t\tthree\r\n{Esc}[44m a long line with a coloured background that wraps past the right margin of the eighty column pane{Esc}[0m\r\n");
        colours.Append($"{Esc}[33mpartly {Esc}[Kerased{Esc}[0m{Esc}[12;60H{Esc}[45m  {Esc}[0m{Esc}[14;5Hcursor here:");

        var unicode = new StringBuilder($"{Esc}[H{Esc}[2J{UnicodeHeading}\r\n");
        unicode.Append("cjk: 中文字 日本語 한국어 end\r\n");
        unicode.Append("combining: cafe\u0301 e\u0301\u0302 n\u0303 a\u0308b\u0308c\u0308 end\r\n");
        unicode.Append("emoji: 😀 🎉 ✓ end\r\n");
        // Each line ends in the default rendition: where the previous screen had text, mosh erases the rest of a
        // row (SGR 0 then EL) and tmux's capture-pane -e then shows a trailing SGR reset on that row that a freshly
        // cleared pane does not have: the same screen, spelled differently (all three pairings alike).
        unicode.Append($"{Esc}[32mgreen 中文{Esc}[0m and {Esc}[7m反転 e\u0301{Esc}[0m end\r\n");
        // A wide character that does not fit in the last column wraps to the next row.
        unicode.Append(new string('.', 79)).Append("宽 after the wrap\r\n");
        // A narrow character over a wide one's left half. (Not over its right half: mosh's emulator, upstream's as
        // ours, then keeps the wide character and hides the narrow one, where tmux blanks the wide one: by design.)
        unicode.Append($"{Esc}[10;40H中文{Esc}[10;40H|overwrote the left half{Esc}[12;1Hcursor after 中: ");

        string coloursFile = directory.File("colours.txt");
        string unicodeFile = directory.File("unicode.txt");
        string text = directory.File("text.txt");
        await File.WriteAllTextAsync(coloursFile, colours.ToString());
        await File.WriteAllTextAsync(unicodeFile, unicode.ToString());
        await File.WriteAllLinesAsync(text, Enumerable.Range(1, 60).Select(i => $"{i}\tint value{i} = {i * i}; // é 中 {new string('-', i % 40)}"));

        string script = directory.File("show.sh");
        await File.WriteAllTextAsync(script, $"""
            stty -echo
            cat '{coloursFile}'; read x
            cat '{unicodeFile}'; read x
            exec vim.tiny -u NONE -N -i NONE -n '{text}'

            """);
        return script;
    }
}
