using System.Diagnostics;
using System.Globalization;
using Mosh.EndToEnd.Harness;

namespace Mosh.EndToEnd.Session;

/// <summary>
/// Scrollback history (issue 12) through the relay, with the client in a tmux pane whose own scrollback is larger
/// than the server's history: after <c>seq 1 30000</c> every one of the last N lines (N = the server's history size)
/// is in tmux's scrollback (capture-pane -S -) exactly once and in order, at full speed, over a slow lossy link,
/// and across a blackout with a roam. Upstream's pairings run the same workload and print what they keep.
/// </summary>
[TestFixture]
[NonParallelizable]
internal sealed class ScrollbackHistoryTests
{
    private const int Count = 30000;
    private const int HistoryLines = 10000;
    private static readonly TmuxOptions LargeScrollback = new() { HistoryLimit = 50000 };

    /// <summary>Numbers of the lines that are just a number, in capture order.</summary>
    private static List<int> Numbers(string capture)
    {
        var numbers = new List<int>();
        foreach (string line in capture.Split('\n'))
        {
            if (line.Length > 0 && int.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out int n))
            {
                numbers.Add(n);
            }
        }

        return numbers;
    }

    /// <summary>What the capture keeps of 1..Count: how many, duplicates, order, and whether the last N are all there once.</summary>
    private sealed record Kept(int Lines, int Duplicates, bool InOrder, int MissingOfLastN)
    {
        public static Kept From(string capture)
        {
            List<int> numbers = Numbers(capture);
            var seen = new HashSet<int>();
            int duplicates = 0;
            bool inOrder = true;
            for (int i = 0; i < numbers.Count; i++)
            {
                duplicates += seen.Add(numbers[i]) ? 0 : 1;
                inOrder &= i == 0 || numbers[i] > numbers[i - 1];
            }

            int missing = 0;
            for (int n = Count - HistoryLines + 1; n <= Count; n++)
            {
                missing += seen.Contains(n) ? 0 : 1;
            }

            return new Kept(seen.Count, duplicates, inOrder, missing);
        }

        public bool Complete => Duplicates == 0 && InOrder && MissingOfLastN == 0;

        public override string ToString() =>
            $"{Lines} of {Count} lines kept, {Duplicates} duplicates, in order: {InOrder}, missing of the last {HistoryLines}: {MissingOfLastN}";
    }

    private static async Task<MoshSession> StartAsync(string serverName, string clientName) =>
        await MoshSession.StartAsync(MoshPrograms.Named(serverName), MoshPrograms.Named(clientName),
            new MoshServerOptions { ExtraArguments = ["-H", HistoryLines.ToString(CultureInfo.InvariantCulture)] },
            LargeScrollback);

    /// <summary>Runs seq and waits for its end (and the prompt after it) on the screen.</summary>
    private static async Task RunSeqAsync(MoshSession session, TimeSpan? timeout = null)
    {
        await session.Client.SendLineAsync($"seq 1 {Count}; echo \"seq\"\"-done\"");
        await session.Client.WaitForLineAsync("seq-done", timeout ?? TimeSpan.FromSeconds(60));
    }

    /// <summary>Polls the pane with its scrollback until the last N lines are all there (or the time is up).</summary>
    private static async Task<(Kept Kept, TimeSpan Took)> WaitForHistoryAsync(MoshSession session, TimeSpan limit)
    {
        var stopwatch = Stopwatch.StartNew();
        Kept kept;
        while (true)
        {
            kept = Kept.From(await session.Client.CapturePaneAsync(includeHistory: true));
            if (kept.MissingOfLastN == 0 || stopwatch.Elapsed > limit || kept.Duplicates > 0 || !kept.InOrder)
            {
                return (kept, stopwatch.Elapsed);
            }

            await Task.Delay(250);
        }
    }

    [Test]
    public async Task At_full_speed_every_one_of_the_last_N_lines_reaches_the_terminals_scrollback_once_and_in_order()
    {
        MoshPrograms.RequireOurs();
        await using MoshSession session = await StartAsync("ours", "ours");
        var stopwatch = Stopwatch.StartNew();
        await RunSeqAsync(session);
        TimeSpan screen = stopwatch.Elapsed;
        (Kept kept, TimeSpan took) = await WaitForHistoryAsync(session, TimeSpan.FromSeconds(60));
        TestContext.Out.WriteLine($"ours/ours full speed: screen done in {screen.TotalSeconds:F1} s, history {took.TotalSeconds:F1} s later; {kept}; {session.Relay}");
        Assert.That(kept.Complete, Is.True, kept.ToString());
        string screenNow = await session.Client.CapturePaneAsync();
        Assert.That(screenNow, Does.Contain($"{Count}\nseq-done"), "the live screen shows the end of the output");
    }

    [Test]
    public async Task At_300_ms_RTT_with_20_percent_loss_the_history_catches_up_without_duplicates()
    {
        MoshPrograms.RequireOurs();
        await using MoshSession session = await StartAsync("ours", "ours");
        session.Relay.Impair(new RelayImpairment { DelayMs = 150, LossProbability = 0.2 });
        var stopwatch = Stopwatch.StartNew();
        await RunSeqAsync(session, TimeSpan.FromSeconds(120));
        TimeSpan screen = stopwatch.Elapsed;
        (Kept kept, TimeSpan took) = await WaitForHistoryAsync(session, TimeSpan.FromSeconds(150));
        TestContext.Out.WriteLine($"ours/ours 300 ms RTT 20 % loss: screen done in {screen.TotalSeconds:F1} s, history {took.TotalSeconds:F1} s later; {kept}; {session.Relay}");
        Assert.That(kept.Complete, Is.True, kept.ToString());
    }

    [Test]
    public async Task Across_a_10_second_blackout_and_a_roam_the_client_gets_what_it_lacks_once()
    {
        MoshPrograms.RequireOurs();
        await using MoshSession session = await StartAsync("ours", "ours");
        await session.Client.SendLineAsync($"sleep 1; seq 1 {Count}; echo \"seq\"\"-done\"");
        await Task.Delay(300); // the command reached the server; its output starts in the blackout
        session.Relay.Blackout = true;
        await Task.Delay(5000);
        await session.Relay.RoamAsync();
        await Task.Delay(5000);
        session.Relay.Blackout = false;
        await session.Client.WaitForLineAsync("seq-done", TimeSpan.FromSeconds(60));
        (Kept kept, TimeSpan took) = await WaitForHistoryAsync(session, TimeSpan.FromSeconds(60));
        TestContext.Out.WriteLine($"ours/ours blackout + roam: history complete {took.TotalSeconds:F1} s after the screen; {kept}; roams {session.Relay.Roams}; {session.Relay}");
        Assert.That(kept.Complete, Is.True, kept.ToString());
    }

    /// <summary>Polls the pane with its scrollback until it holds every number 1..<paramref name="last"/>; returns its numbers.</summary>
    private static async Task<List<int>> WaitForNumbersAsync(MoshSession session, int last)
    {
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            List<int> numbers = Numbers(await session.Client.CapturePaneAsync(includeHistory: true));
            if (Enumerable.Range(1, last).All(numbers.Contains) || stopwatch.Elapsed > TimeSpan.FromSeconds(30))
            {
                await Task.Delay(500); // anything more (a duplicate) would have arrived with the rest
                return Numbers(await session.Client.CapturePaneAsync(includeHistory: true));
            }

            await Task.Delay(200);
        }
    }

    /// <summary>Resizes the pane and gives the client and server time to follow (no output, so no scrolling).</summary>
    private static async Task ResizeAndSettleAsync(MoshSession session, int height)
    {
        await session.Client.ResizeAsync(80, height);
        await Task.Delay(1500);
    }

    [Test]
    public async Task Resizing_the_window_on_the_shells_screen_leaves_every_line_once_and_in_order_in_the_terminals_scrollback()
    {
        MoshPrograms.RequireOurs();
        await using MoshSession session = await StartAsync("ours", "ours");
        await session.Client.SendLineAsync("seq 1 40");
        Assert.That(await WaitForNumbersAsync(session, 40), Is.EqualTo(Enumerable.Range(1, 40)), "before any resize");

        // The prompt is on the bottom row: shrinking makes tmux push the top rows into its scrollback, growing pulls
        // them back onto the screen.
        await ResizeAndSettleAsync(session, 16);
        await ResizeAndSettleAsync(session, 24);
        await session.Client.SendLineAsync("seq 41 80");
        Assert.That(await WaitForNumbersAsync(session, 80), Is.EqualTo(Enumerable.Range(1, 80)), "after shrinking and growing back");

        // Shrunk, and then the output scrolls the smaller screen: the rows tmux pushed must not come again as history.
        await ResizeAndSettleAsync(session, 16);
        await session.Client.SendLineAsync("seq 81 120");
        Assert.That(await WaitForNumbersAsync(session, 120), Is.EqualTo(Enumerable.Range(1, 120)), "after shrinking and scrolling");
    }

    [Test]
    public async Task Coloured_lines_reach_the_terminals_scrollback_with_their_colours_and_attributes()
    {
        // The server stores history lines with their renditions packed and turns them back into SGR as it sends
        // them: every line that scrolled off must reach tmux's scrollback drawn as it was printed.
        MoshPrograms.RequireOurs();
        await using MoshSession session = await StartAsync("ours", "ours");
        const int lines = 200;
        await session.Client.SendLineAsync(
            $"for i in $(seq 1 {lines}); do printf '\\033[38;5;%dmc%d\\033[0m \\033[1;4;48;5;%dmx%d\\033[0m \\033[38;2;1;%d;3mrgb\\033[0m\\n' " +
            "$((16 + i % 240)) $i $((16 + (i * 7) % 240)) $i $i; done; echo \"colour\"\"-done\"");
        await session.Client.WaitForLineAsync("colour-done", TimeSpan.FromSeconds(30));

        // The row holding line i (found by its text right before the colour reset), or null.
        static string? LineOf(string[] rows, int i) => rows.FirstOrDefault(l => l.Contains($"c{i}\e", StringComparison.Ordinal));

        var missing = new List<int>();
        var stopwatch = Stopwatch.StartNew();
        string capture;
        string[] rows;
        do
        {
            await Task.Delay(250);
            capture = await session.Client.CapturePaneAsync(withEscapes: true, includeHistory: true);
            rows = capture.Split('\n');
            missing.Clear();
            for (int i = 1; i <= lines - 30; i++) // those scrolled off the 24-row screen
            {
                string? line = LineOf(rows, i);
                if (line is null
                    || !line.Contains($"38;5;{16 + (i % 240)}mc{i}", StringComparison.Ordinal)
                    || !line.Contains($"48;5;{16 + (i * 7 % 240)}m", StringComparison.Ordinal)
                    || !line.Contains($"x{i}", StringComparison.Ordinal)
                    || !line.Contains($"38;2;1;{i};3mrgb", StringComparison.Ordinal))
                {
                    missing.Add(i);
                }
            }
        }
        while (missing.Count > 0 && stopwatch.Elapsed < TimeSpan.FromSeconds(30));

        string sample = LineOf(rows, missing.FirstOrDefault())?.Replace("\e", "\\e") ?? "(no line)";
        Assert.That(missing, Is.Empty,
            $"{missing.Count} lines without their colours, e.g. line {missing.FirstOrDefault()}: {sample}");
        Assert.That(capture, Does.Contain("\e[1m").Or.Contain(";1m").Or.Contain("[1;"), "bold is kept");
        Assert.That(capture, Does.Contain("\e[4m").Or.Contain(";4m").Or.Contain(";4;"), "underline is kept");
    }

    private static IEnumerable<TestCaseData> UpstreamPairings()
    {
        yield return new TestCaseData("upstream", "ours").SetArgDisplayNames("upstream server", "our client");
        yield return new TestCaseData("ours", "upstream").SetArgDisplayNames("our server", "upstream client");
        yield return new TestCaseData("upstream", "upstream").SetArgDisplayNames("upstream server", "upstream client");
    }

    [TestCaseSource(nameof(UpstreamPairings))]
    public async Task With_an_upstream_peer_the_same_run_keeps_what_upstream_keeps(string serverName, string clientName)
    {
        await using MoshSession session = await StartAsync(serverName, clientName);
        await RunSeqAsync(session);
        await Task.Delay(1000);
        var kept = Kept.From(await session.Client.CapturePaneAsync(includeHistory: true));
        TestContext.Out.WriteLine($"{serverName} server, {clientName} client: {kept}");
        string screenNow = await session.Client.CapturePaneAsync();
        Assert.That(screenNow, Does.Contain($"{Count}\nseq-done"), "the screen shows the end of the output as today");
    }
}
