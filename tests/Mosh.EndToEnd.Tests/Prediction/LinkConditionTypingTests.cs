using System.Globalization;
using Mosh.EndToEnd.Harness;

namespace Mosh.EndToEnd.Prediction;

/// <summary>
/// The local-echo measurement at the other links the prediction work is held to (300 ms alone is
/// <see cref="LocalEchoTests"/>): ~0 and 100 ms round trip, and 300 ms with 20 % loss each way, our client and
/// server typing the short workload. Every key must show where it belongs and nothing wrong may be left once the
/// server's frames arrived. Where prediction alone decides the figure (300 ms with loss) the median must stay under
/// 20 ms; the other figures depend on the machine's load, so they are printed (the side-by-side table with upstream
/// is benchmarks/local-echo-latency.sh).
/// </summary>
[TestFixture]
[NonParallelizable]
internal sealed class LinkConditionTypingTests
{
    [OneTimeSetUp]
    public static Task WarmUpScreenModelAsync() => PtyClient.WarmUpAsync();

    [TestCase(0, 0.0)]
    [TestCase(100, 0.0)]
    [TestCase(300, 0.2)]
    public async Task TypingShowsEveryKeyWhereItBelongsAndLeavesNothingWrong(int roundTripMs, double loss)
    {
        MoshPrograms ours = MoshPrograms.RequireOurs();
        var network = new NetworkCondition(roundTripMs, loss);
        bool medianMatters = roundTripMs >= 300;
        List<EchoLatencies> runs = [await TypingSession.RunAsync("ours", ours.Client, ours.Server, network, TypingWorkload.Short)];
        if (medianMatters && runs[0].Median >= 20)
        {
            // Loss can take a line's first echoes, and a loaded machine can delay bash's echo past the 50 ms echo
            // timeout (a confirmed guess then looks contradicted); such a run is retried once.
            runs.Add(await TypingSession.RunAsync("ours (retry)", ours.Client, ours.Server, network, TypingWorkload.Short));
        }

        await TestContext.Out.WriteLineAsync(EchoLatencies.Table(
            string.Create(CultureInfo.InvariantCulture, $"Local echo at {network}, {TypingWorkload.Short.Name}, {TypingSession.Rhythm}:"), [.. runs]));

        EchoLatencies run = runs[^1];
        Assert.Multiple(() =>
        {
            Assert.That(runs.SelectMany(r => r.Keys).Where(k => k.Milliseconds is null), Is.Empty, "every key shows where it belongs");
            Assert.That(runs.SelectMany(r => r.WrongLeft), Is.Empty, "nothing wrong may remain once the server's frames arrived");
            if (medianMatters)
            {
                Assert.That(run.Median, Is.LessThan(20), "median time to screen, every key counted");
            }
        });
    }
}
