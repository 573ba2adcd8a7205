using System.Diagnostics;
using Mosh.EndToEnd.Harness;

namespace Mosh.EndToEnd.Prediction;

/// <summary>
/// Speculative local echo through the real binaries at 300 ms round trip (150 ms each way in the relay): command
/// lines typed key by key (80-200 ms apart, every key counted) into our mosh-server's shell show on the client's
/// screen without waiting for the server, are right once the server's frames arrive, and a password is never
/// echoed. The screen is our emulator fed with the client's own output (<see cref="PtyClient"/>), so each
/// keystroke's time to screen is measured exactly. The side-by-side table against upstream is the explicit
/// benchmark at the end (benchmarks/local-echo-latency.sh).
/// </summary>
[TestFixture]
[NonParallelizable]
internal sealed class LocalEchoTests
{
    private const int OneWayDelayMs = 150;
    private const int RoundTripMs = 2 * OneWayDelayMs;
    private const int KeyIntervalMs = TypingSession.KeyIntervalMs;

    private static readonly NetworkCondition ThreeHundredMs = new(RoundTripMs);

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20 * Poll.TimeoutScale);

    [OneTimeSetUp]
    public static Task WarmUpScreenModelAsync() => PtyClient.WarmUpAsync();

    [Test]
    public async Task AdaptivePredictionShowsKeystrokesBeforeTheServersEchoAtThreeHundredMsRoundTrip()
    {
        MoshPrograms ours = MoshPrograms.RequireOurs();
        // Every key counts, the first keys of each line included. The behaviour asserted is that keys show before
        // the server's echo could possibly arrive (it takes a round trip): a median under half a round trip is
        // crossed only when prediction stops working, not by a loaded machine. The milliseconds themselves (under
        // 20 ms here when idle) are the benchmark's (benchmarks/local-echo-latency.sh) and are printed below.
        EchoLatencies run = await TypingSession.RunAsync("ours (adaptive)", ours.Client, ours.Server, ThreeHundredMs, TypingWorkload.Short);
        await TestContext.Out.WriteLineAsync(EchoLatencies.Table(
            $"Local echo at {ThreeHundredMs}, our server, {TypingWorkload.Short.Name}, {TypingSession.Rhythm}:", run));

        Assert.Multiple(() =>
        {
            Assert.That(run.Median, Is.LessThan(RoundTripMs / 2.0), "most keys show before the server's echo could arrive");
            Assert.That(run.WrongLeft, Is.Empty, "nothing wrong may remain once the server's frames arrived");
        });
    }

    [Test]
    public async Task NeverModeWaitsAboutOneRoundTripForTheServersEcho()
    {
        MoshPrograms ours = MoshPrograms.RequireOurs();
        EchoLatencies run = await TypingSession.RunAsync("ours (never)", ours.Client, ours.Server, ThreeHundredMs, TypingWorkload.Short,
            "MOSH_PREDICTION_DISPLAY=never");
        await TestContext.Out.WriteLineAsync(EchoLatencies.Table($"Local echo at {ThreeHundredMs}:", run));

        Assert.Multiple(() =>
        {
            // A lower bound only: nothing can show sooner than the echo's round trip, while a loaded machine may
            // show it later.
            Assert.That(run.Median, Is.GreaterThanOrEqualTo(0.8 * RoundTripMs), "without prediction only the server's echo shows a key");
            Assert.That(run.Mispredictions, Is.Zero, "nothing is predicted, so nothing can be contradicted");
        });
    }

    [Test]
    public async Task PasswordTypedAtReadSilentIsNeverShown()
    {
        MoshPrograms ours = MoshPrograms.RequireOurs();
        await using MoshServer server = await MoshServer.StartAsync(ours);
        using UdpRelay relay = StartRelay(server);
        using PtyClient client = PtyClient.Start(ours.Client, relay.Port, server.Key);
        await client.WaitForAsync(TypingSession.ShowsPromptAtCursor, Timeout, "the shell prompt");

        // Echoed typing first, so the engine has a confirmed epoch and shows predictions before the prompt.
        await TypeSlowlyAsync(client, "read -s -p pw: x");
        client.Type("\r"u8);
        await client.WaitForAsync(screen => TypingSession.CursorRowText(screen) == "pw:" && screen.State.CursorColumn == 3, Timeout, "the password prompt");
        int row = client.Inspect(screen => screen.State.CursorRow);

        ScreenWatch leak = client.Watch(screen => screen.GetRow(row).ToString().TrimEnd() != "pw:" || screen.State.CursorColumn != 3);
        await TypeSlowlyAsync(client, "hunter22");
        await Task.Delay(3 * RoundTripMs);

        Assert.That(leak.Seen, Is.False, $"the password line changed while typing. Screen:\n{client.ScreenText()}");
        client.Type("\r"u8);
        // read -s does not echo the newline, so the next prompt follows on the same row.
        await client.WaitForAsync(screen => TypingSession.CursorRowText(screen) == "pw:" + TestShell.Prompt.TrimEnd(), Timeout, "the prompt after read");
    }

    /// <summary>
    /// The shell's prompt is known to echo once a line typed at it was confirmed, and a password prompt without
    /// any text (read -s) leaves the cursor at the start of an empty row: nothing typed there may show, even
    /// though the command line before it was predicted and shown.
    /// </summary>
    [Test]
    public async Task PasswordTypedAtAnEmptyPromptAfterConfirmedCommandLinesIsNeverShown()
    {
        MoshPrograms ours = MoshPrograms.RequireOurs();
        await using MoshServer server = await MoshServer.StartAsync(ours);
        using UdpRelay relay = StartRelay(server);
        using PtyClient client = PtyClient.Start(ours.Client, relay.Port, server.Key);
        await client.WaitForAsync(TypingSession.ShowsPromptAtCursor, Timeout, "the shell prompt");

        await TypeSlowlyAsync(client, "echo one");
        client.Type("\r"u8);
        await client.WaitForAsync(screen => TypingSession.ShowsPromptAtCursor(screen) && screen.State.CursorRow == 2, Timeout, "the second prompt");
        await Task.Delay(KeyIntervalMs);
        await TypeSlowlyAsync(client, "read -s");
        client.Type("\r"u8);
        await client.WaitForAsync(screen => screen.State.CursorRow == 3 && screen.State.CursorColumn == 0, Timeout, "read's empty prompt");

        ScreenWatch leak = client.Watch(screen => screen.GetRow(3).ToString().TrimEnd().Length != 0
            || screen.State.CursorRow != 3 || screen.State.CursorColumn != 0);
        await TypeSlowlyAsync(client, "hunter22");
        await Task.Delay(3 * RoundTripMs);

        Assert.That(leak.Seen, Is.False, $"the password row changed while typing. Screen:\n{client.ScreenText()}");
        client.Type("\r"u8);
        await client.WaitForAsync(screen => TypingSession.ShowsPromptAtCursor(screen) && screen.State.CursorRow == 3, Timeout, "the prompt after read");
    }

    /// <summary>
    /// The side-by-side table of benchmarks/local-echo-latency.sh: our client and server, upstream's client against
    /// our server, and upstream's client and server, typing <see cref="TypingWorkload.Full"/> at ~0, 100 and 300 ms
    /// round trip and at 300 ms with 20 % loss (several minutes). MOSH_ECHO_CONDITIONS (e.g. "0,300,300/0.2")
    /// and MOSH_ECHO_PAIRINGS (e.g. "oo,uu"; o: ours, u: upstream, client then server) narrow it.
    /// </summary>
    [Explicit("benchmark: run by benchmarks/local-echo-latency.sh")]
    [Category("Benchmark")]
    [Test]
    public async Task EchoLatencyTableOfBothClients()
    {
        MoshPrograms ours = MoshPrograms.RequireOurs();
        MoshPrograms upstream = MoshPrograms.Upstream;
        string conditions = Environment.GetEnvironmentVariable("MOSH_ECHO_CONDITIONS") is { Length: > 0 } c ? c : "0,100,300,300/0.2";
        string pairings = Environment.GetEnvironmentVariable("MOSH_ECHO_PAIRINGS") is { Length: > 0 } p ? p : "oo,uo,uu";
        var failures = new List<string>();
        var markdown = new List<string> { EchoLatencies.MarkdownHeader };
        foreach (string condition in conditions.Split(','))
        {
            string[] parts = condition.Split('/');
            var network = new NetworkCondition(int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture),
                parts.Length > 1 ? double.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) : 0);
            var runs = new List<EchoLatencies>();
            foreach (string pairing in pairings.Split(','))
            {
                MoshPrograms client = pairing[0] == 'o' ? ours : upstream;
                MoshPrograms server = pairing[1] == 'o' ? ours : upstream;
                string name = $"{client.Name} client, {server.Name} server";
                runs.Add(await TypingSession.RunAsync(name, client.Client, server.Server, network, TypingWorkload.Full));
            }

            await TestContext.Out.WriteLineAsync(EchoLatencies.Table(
                $"Local echo at {network}, {TypingWorkload.Full.Name}, {TypingSession.Rhythm}:", [.. runs]));
            failures.AddRange(runs.Where(r => r.Keys.Any(k => k.Milliseconds is null)).Select(r => $"{r.Client} at {network}: a key never showed"));
            markdown.AddRange(runs.Select(r => r.MarkdownRow(network.ToString())));
        }

        await TestContext.Out.WriteLineAsync(string.Join('\n', markdown));

        Assert.That(failures, Is.Empty);
    }

    private static UdpRelay StartRelay(MoshServer server, int oneWayDelayMs = OneWayDelayMs)
    {
        UdpRelay relay = UdpRelay.Start(server.Port);
        relay.Impair(new RelayImpairment { DelayMs = oneWayDelayMs });
        return relay;
    }

    private static async Task TypeSlowlyAsync(PtyClient client, string text)
    {
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < text.Length; i++)
        {
            client.Type([(byte)text[i]]);
            await DelayUntilAsync(start, (i + 1) * KeyIntervalMs);
        }
    }

    private static async Task DelayUntilAsync(long start, int milliseconds)
    {
        TimeSpan left = TimeSpan.FromMilliseconds(milliseconds) - Stopwatch.GetElapsedTime(start);
        if (left > TimeSpan.Zero)
        {
            await Task.Delay(left);
        }
    }
}
