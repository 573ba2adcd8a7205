using System.Diagnostics;
using System.Text;
using Mosh.EndToEnd.Harness;

namespace Mosh.EndToEnd.Session;

/// <summary>
/// Large pastes through our client and server, as tmux pastes them (paste-buffer into the client's pane): the
/// server writes keystrokes to the pty as the application takes them while it keeps reading the application's
/// output, so the screen keeps updating throughout, and Ctrl-C takes effect after the paste and in its middle. Before, the server waited for the pty to take each keystroke message
/// whole without reading output: bash blocked writing its echo, and the session froze for good (upstream freezes
/// at 256 KB already).
/// </summary>
[TestFixture]
[NonParallelizable]
public class LargePasteTests
{
    private const int LineLength = 72;

    /// <summary>The screen must change at least this often while the paste goes through (generous, under load).</summary>
    private static readonly TimeSpan LongestStill = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    private static IEnumerable<TestCaseData> Cases()
    {
        yield return new TestCaseData(1, "cat > /dev/null").SetName("A_1_MB_paste_into_cat_keeps_the_screen_updating_and_ctrl_c_responds");
        yield return new TestCaseData(10, "cat > /dev/null").SetName("A_10_MB_paste_into_cat_keeps_the_screen_updating_and_ctrl_c_responds");
        yield return new TestCaseData(1, null).SetName("A_1_MB_paste_into_bash_keeps_the_screen_updating_and_ctrl_c_responds");
        // No 10 MB case for bash: bash itself takes comment lines at about 50 kB/s here, minutes for 10 MB.
    }

    [TestCaseSource(nameof(Cases))]
    public async Task A_large_paste_goes_through_while_the_screen_updates_and_ctrl_c_responds(int megabytes, string? reader)
    {
        MoshPrograms ours = MoshPrograms.RequireOurs();
        await using MoshSession session = await MoshSession.StartAsync(ours);
        TmuxSession terminal = session.Client;
        if (reader is not null)
        {
            await terminal.SendLineAsync($"echo \"r\"\"eady\"; {reader}");
            await terminal.WaitForLineAsync("ready", Generous);
        }

        // Comment lines: bash takes each as a command that does nothing; cat echoes them.
        string marker = $"paste-end-{megabytes}";
        string file = Path.Combine(Path.GetTempPath(), $"mosh-e2e-paste-{Environment.ProcessId}-{megabytes}.txt");
        await File.WriteAllTextAsync(file, PasteText(megabytes * 1024 * 1024, marker));
        try
        {
            var stopwatch = Stopwatch.StartNew();
            await terminal.TmuxAsync("load-buffer", "-b", "paste", file);
            await terminal.PasteAsync("paste");
            int changes = await WatchUntilAsync(terminal, screen => screen.Contains(marker, StringComparison.Ordinal),
                $"the end of a {megabytes} MB paste", stopwatch);
            TimeSpan pasted = stopwatch.Elapsed;

            // Ctrl-C ends cat (bash drops its empty line) and the shell answers.
            await terminal.SendKeysAsync("C-c");
            await terminal.WaitForScreenAsync(TestShell.ShowsPrompt, "the prompt after Ctrl-C", Generous);
            await session.RunCommandAsync("after-paste", Generous);

            if (reader is null)
            {
                // bash reads on through the rest of a paste after Ctrl-C (it only drops the line), at its own pace.
                TestContext.Out.WriteLine($"{megabytes} MB into bash: through in {pasted.TotalSeconds:F1} s ({changes} screen changes seen)");
                return;
            }

            // Ctrl-C in the middle of the same paste: cat gets it in order (the tty then drops the input cat had not
            // read yet), the screen moves throughout, and the prompt comes back.
            await terminal.SendLineAsync("clear");
            await terminal.WaitForScreenAsync(TestShell.ShowsPrompt, "the prompt after clear", Generous);
            await terminal.SendLineAsync($"echo \"r\"\"eady\"; {reader}");
            await terminal.WaitForLineAsync("ready", Generous);
            string before = await terminal.CapturePaneAsync();
            var midway = Stopwatch.StartNew();
            await terminal.PasteAsync("paste");
            await WatchUntilAsync(terminal, screen => screen != before, "the paste to begin", midway);
            await terminal.SendKeysAsync("C-c");
            await WatchUntilAsync(terminal, TestShell.ShowsPrompt,
                "the prompt after Ctrl-C in the middle of the paste", midway);
            await session.RunCommandAsync("after-interrupt", Generous);
            TestContext.Out.WriteLine($"{megabytes} MB into {reader}: through in {pasted.TotalSeconds:F1} s ({changes} screen changes seen); interrupted midway and answering after {midway.Elapsed.TotalSeconds:F1} s");
        }
        finally
        {
            File.Delete(file);
        }

        await terminal.SendLineAsync("exit");
        Assert.That(await terminal.WaitForExitAsync(Generous), Is.Zero);
    }

    /// <summary>
    /// Polls the screen until <paramref name="done"/>, failing if it ever stays the same for <see cref="LongestStill"/>
    /// (a frozen session) or the whole takes more than two minutes; returns how many changes it saw.
    /// </summary>
    private static async Task<int> WatchUntilAsync(TmuxSession terminal, Func<string, bool> done, string what, Stopwatch since)
    {
        string previous = "";
        var still = Stopwatch.StartNew();
        int changes = 0;
        while (true)
        {
            string screen = await terminal.CapturePaneAsync();
            if (screen != previous)
            {
                previous = screen;
                still.Restart();
                changes++;
            }

            if (done(screen))
            {
                return changes;
            }

            Assert.That(still.Elapsed, Is.LessThan(LongestStill),
                $"waiting for {what}, the screen stood still after {changes} changes, {since.Elapsed.TotalSeconds:F1} s in:\n{screen}");
            Assert.That(since.Elapsed, Is.LessThan(TimeSpan.FromMinutes(2)), $"waiting for {what}");
            await Task.Delay(200);
        }
    }

    /// <summary>About <paramref name="bytes"/> of comment lines of random letters, the last one naming the marker.</summary>
    private static string PasteText(int bytes, string marker)
    {
        const string Alphabet = "abcdefghijklmnopqrstuvwxyz";
        var random = new Random(bytes);
        var text = new StringBuilder(bytes + 100);
        char[] line = new char[LineLength];
        line[0] = '#';
        line[1] = ' ';
        while (text.Length < bytes)
        {
            for (int i = 2; i < line.Length; i++)
            {
                line[i] = Alphabet[random.Next(Alphabet.Length)];
            }

            text.Append(line).Append('\n');
        }

        return text.Append("# ").Append(marker).Append('\n').ToString();
    }
}
