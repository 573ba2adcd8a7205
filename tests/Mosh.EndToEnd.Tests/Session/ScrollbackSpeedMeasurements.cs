using System.Diagnostics;
using System.Globalization;
using Mosh.EndToEnd.Harness;

namespace Mosh.EndToEnd.Session;

/// <summary>
/// Whether history delays the screen (issue 12): <c>seq 1 3000000</c> until its last line is on the client's
/// screen, then Ctrl-C on a runaway <c>yes</c> until the prompt is back, with our server's history on (10,000 lines)
/// and off (<c>-H 0</c>), and upstream's pair for reference. A measurement for the issue note, run by hand; the
/// bounds are only there to catch a screen that waits for history (minutes, not seconds).
/// </summary>
[TestFixture]
[NonParallelizable]
[Explicit("measurement: prints figures for the issue note")]
internal sealed class ScrollbackSpeedMeasurements
{
    [TestCase("ours", "ours", 10000)]
    [TestCase("ours", "ours", 0)]
    [TestCase("upstream", "upstream", -1)]
    public async Task Seq_to_the_last_line_and_ctrl_c_on_yes(string server, string client, int history)
    {
        MoshServerOptions options = history < 0
            ? new MoshServerOptions()
            : new MoshServerOptions { ExtraArguments = ["-H", history.ToString(CultureInfo.InvariantCulture)] };
        await using MoshSession session = await MoshSession.StartAsync(MoshPrograms.Named(server), MoshPrograms.Named(client), options,
            new TmuxOptions { HistoryLimit = 20000 });

        int clientPid = await session.Client.PanePidAsync();
        int tmuxPid = int.Parse(await session.Client.DisplayAsync("#{pid}"), CultureInfo.InvariantCulture);
        long serverBefore = ProcessTag.CpuTicks(session.Server.Pid), clientBefore = ProcessTag.CpuTicks(clientPid), tmuxBefore = ProcessTag.CpuTicks(tmuxPid);
        var stopwatch = Stopwatch.StartNew();
        await session.Client.SendLineAsync("time seq 1 3000000; echo \"seq\"\"-done\"");
        string done = await UntilScreenAsync(session, screen => screen.Contains("\n3000000\n", StringComparison.Ordinal) && screen.Contains("\nseq-done", StringComparison.Ordinal), TimeSpan.FromMinutes(3));
        TimeSpan seq = stopwatch.Elapsed;
        double serverCpu = (ProcessTag.CpuTicks(session.Server.Pid) - serverBefore) / 100.0, clientCpu = (ProcessTag.CpuTicks(clientPid) - clientBefore) / 100.0;
        double tmuxCpu = (ProcessTag.CpuTicks(tmuxPid) - tmuxBefore) / 100.0; // the client's terminal
        // bash's `time`: how long seq took to write everything into the server's pty.
        string written = done.Split('\n').FirstOrDefault(line => line.StartsWith("real", StringComparison.Ordinal))?.Trim() ?? "?";

        await session.Client.SendLineAsync("yes");
        await UntilScreenAsync(session, screen => screen.Contains("y\ny\ny\ny", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        await Task.Delay(3000); // a runaway program, well under way
        stopwatch.Restart();
        await session.Client.SendKeysAsync("C-c");
        await UntilScreenAsync(session, TestShell.ShowsPrompt, TimeSpan.FromSeconds(60));
        TimeSpan interrupt = stopwatch.Elapsed;

        string label = history < 0 ? "upstream" : history == 0 ? "ours -H 0" : $"ours -H {history}";
        TestContext.Out.WriteLine($"{label}: seq 1 3000000 on screen in {seq.TotalSeconds:F1} s (seq itself: {written}; CPU until then: server {serverCpu:F2} s, client {clientCpu:F2} s, its tmux {tmuxCpu:F2} s); Ctrl-C on yes to the prompt in {interrupt.TotalSeconds:F2} s; {session.Relay}");
        Assert.Multiple(() =>
        {
            Assert.That(seq, Is.LessThan(TimeSpan.FromMinutes(3)));
            Assert.That(interrupt, Is.LessThan(TimeSpan.FromSeconds(20)));
        });
    }


    /// <summary>Polls the visible screen only (the scrollback of millions of lines is not captured each time).</summary>
    private static async Task<string> UntilScreenAsync(MoshSession session, Func<string, bool> predicate, TimeSpan timeout)
    {
        string last = string.Empty;
        await Poll.UntilAsync(
            async () => predicate(last = await session.Client.CapturePaneAsync()),
            timeout,
            () => "the screen; last:\n" + last);
        return last;
    }
}
