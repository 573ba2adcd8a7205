using System.Diagnostics;
using System.Globalization;
using Mosh.EndToEnd.Harness;

namespace Mosh.EndToEnd.Prediction;

/// <summary>
/// The terminal keeps priority over forwarded streams (issue 13): while a bulk transfer runs through <c>-L</c> at
/// full speed, typed keys still show key by key and Ctrl-C still stops a runaway program, and the transfer goes on
/// intact meanwhile. The keys are timed as in <see cref="LocalEchoTests"/>; the side-by-side figures (idle against
/// a transfer) are the explicit benchmark at the end.
/// </summary>
[TestFixture]
[NonParallelizable]
internal sealed class ForwardedTransferEchoTests
{
    private static readonly NetworkCondition Loopback = new(0);

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30 * Poll.TimeoutScale);

    [OneTimeSetUp]
    public static Task WarmUpScreenModelAsync() => PtyClient.WarmUpAsync();

    [Test]
    public async Task Typing_shows_and_ctrl_c_stops_a_runaway_program_while_a_bulk_transfer_runs_through_local_forwarding()
    {
        MoshPrograms ours = MoshPrograms.RequireOurs();
        await using TcpFirehose firehose = TcpFirehose.Start();
        TransferDuringTyping transfer = new(firehose);
        double ctrlCMs = 0;
        EchoLatencies run = await TypingSession.RunAsync("ours, -L transfer running", ours.Client, ours.Server, Loopback,
            TypingWorkload.Short, transfer.Options(async client => ctrlCMs = await InterruptRunawayAsync(client)));

        TestContext.Out.WriteLine(EchoLatencies.Table($"Local echo at {Loopback} with a bulk -L transfer running:", run));
        TestContext.Out.WriteLine(transfer.Describe());
        TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Ctrl-C on `yes` to the prompt: {ctrlCMs:F0} ms"));
        Assert.Multiple(() =>
        {
            Assert.That(run.Keys.Where(k => k.Milliseconds is null), Is.Empty, "a key never showed");
            Assert.That(run.WrongLeft, Is.Empty);
            // The transfer ran at full speed throughout (not paused by the typing, and not finished before it).
            Assert.That(transfer.BytesWhileTyping, Is.GreaterThan(1 << 20), "the transfer hardly moved while typing");
            Assert.That(firehose.FirstMismatch, Is.EqualTo(-1), "the forwarded bytes differ from those sent");
            // Generous: a key queued behind the stream's data would wait for seconds of it.
            Assert.That(run.Median, Is.LessThan(1000), "typing waited behind the transfer");
        });
    }

    /// <summary>
    /// The figures for the README: our client and server at ~0 and 100 ms round trip, typing
    /// <see cref="TypingWorkload.Full"/> idle and then with a transfer running through <c>-L</c>.
    /// </summary>
    [Explicit("benchmark: run by hand (see the README's forwarding figures)")]
    [Category("Benchmark")]
    [Test]
    public async Task EchoLatencyIdleAgainstDuringABulkForwardedTransfer()
    {
        MoshPrograms ours = MoshPrograms.RequireOurs();
        var markdown = new List<string> { EchoLatencies.MarkdownHeader };
        foreach (NetworkCondition network in new[] { Loopback, new NetworkCondition(100) })
        {
            EchoLatencies idle = await TypingSession.RunAsync("ours, idle", ours.Client, ours.Server, network, TypingWorkload.Full);
            await using TcpFirehose firehose = TcpFirehose.Start();
            TransferDuringTyping transfer = new(firehose);
            double ctrlCMs = 0;
            EchoLatencies busy = await TypingSession.RunAsync("ours, -L transfer", ours.Client, ours.Server, network,
                TypingWorkload.Full, transfer.Options(async client => ctrlCMs = await InterruptRunawayAsync(client)));
            await TestContext.Out.WriteLineAsync(EchoLatencies.Table($"Local echo at {network}, idle and with a bulk -L transfer:", idle, busy));
            await TestContext.Out.WriteLineAsync(transfer.Describe() + string.Create(CultureInfo.InvariantCulture,
                $"; median ratio {busy.Median / idle.Median:F2}; Ctrl-C on `yes` to the prompt {ctrlCMs:F0} ms"));
            markdown.Add(idle.MarkdownRow(network.ToString()));
            markdown.Add(busy.MarkdownRow(network + ", -L transfer"));
        }

        await TestContext.Out.WriteLineAsync(string.Join('\n', markdown));
    }

    /// <summary>Starts <c>yes</c>, waits until it fills the screen, sends Ctrl-C and returns ms until the prompt is back.</summary>
    private static async Task<double> InterruptRunawayAsync(PtyClient client)
    {
        client.Type("yes\r"u8);
        await client.WaitForAsync(screen => Enumerable.Range(0, screen.Height - 1).All(r => screen.GetRow(r).ToString().TrimEnd() == "y"),
            Timeout, "yes filling the screen");
        long start = Stopwatch.GetTimestamp();
        client.Type("\x03"u8);
        await client.WaitForAsync(TypingSession.ShowsPromptAtCursor, Timeout, "the prompt after Ctrl-C");
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    /// <summary>A transfer through the client's <c>-L</c> listener, started once the prompt shows and measured while typing.</summary>
    private sealed class TransferDuringTyping(TcpFirehose firehose)
    {
        private readonly int _listenPort = FreePort.Tcp();
        private long _atStart;
        private long _atEnd;
        private readonly Stopwatch _typing = new();

        public long BytesWhileTyping => _atEnd - _atStart;

        public TypingOptions Options(Func<PtyClient, Task> afterTyping) => new()
        {
            ClientOptions = ["-L", $"{_listenPort}:127.0.0.1:{firehose.TargetPort}"],
            OnceReady = async _ =>
            {
                firehose.StartReading(_listenPort);
                await Poll.UntilAsync(() => firehose.Received > (1 << 20), Timeout, () => "the transfer to get going");
                _atStart = firehose.Received;
                _typing.Start();
            },
            BeforeTeardown = async client =>
            {
                _atEnd = firehose.Received;
                _typing.Stop();
                await afterTyping(client);
            },
        };

        public string Describe() => string.Create(CultureInfo.InvariantCulture,
            $"transfer while typing: {BytesWhileTyping / 1048576.0:F1} MiB in {_typing.Elapsed.TotalSeconds:F1} s = {BytesWhileTyping / 1048576.0 / Math.Max(0.001, _typing.Elapsed.TotalSeconds):F2} MiB/s");
    }
}
