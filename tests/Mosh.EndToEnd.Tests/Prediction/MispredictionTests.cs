using System.Globalization;
using Mosh.EndToEnd.Harness;

namespace Mosh.EndToEnd.Prediction;

/// <summary>
/// The "mispredictions seen" counter of the local-echo measurement, exercised through the real binaries at 300 ms
/// round trip: a readline macro (<c>bind '"z":"Z"'</c>, typed first) makes the test shell echo every typed
/// <c>z</c> as <c>Z</c>. Once the prompt is known to echo, the client shows the typed <c>z</c> at once, a
/// confirmed guess the server's frames then contradict: the counter must see it, the client must repair it within
/// about one round trip, and the line must settle on the server's text with nothing wrong left. The same typing
/// with a macro for a key never typed is the control: nothing is contradicted, so the counter stays at zero.
/// </summary>
[TestFixture]
[NonParallelizable]
internal sealed class MispredictionTests
{
    private static readonly NetworkCondition ThreeHundredMs = new(300);

    /// <summary>The measured lines: typed in lower case, each <c>z</c> settles as <c>Z</c> where the macro is bound.</summary>
    private static readonly string[] Lines = ["echo zulu zebra", "echo fizz buzz"];

    /// <summary>The shell rewrites every typed z as Z: each one the client shows is a wrong guess.</summary>
    private static readonly TypingWorkload WrongGuesses = new("z echoed as Z", Lines, [])
    {
        SetupLines = ["bind '\"z\":\"Z\"'"],
        SettledLines = Lines.ToDictionary(line => line, line => line.Replace('z', 'Z')),
    };

    /// <summary>The same typing after the same kind of setup line, binding a key the lines never type.</summary>
    private static readonly TypingWorkload RightGuesses = new("q echoed as Q (never typed)", Lines, [])
    {
        SetupLines = ["bind '\"q\":\"Q\"'"],
    };

    /// <summary>
    /// The longest a wrong screen may stay: the server's echo acknowledgement that lets the client judge the guess
    /// comes one round trip after the key, plus the server's 50 ms echo timeout, plus up to one send interval (half
    /// the round trip here): about 500 ms on a quiet machine. The rest is slack for a loaded CI machine.
    /// </summary>
    private static readonly double RepairLimitMs = (ThreeHundredMs.RoundTripMs + 700) * Poll.TimeoutScale;

    [OneTimeSetUp]
    public static Task WarmUpScreenModelAsync() => PtyClient.WarmUpAsync();

    [Test]
    public async Task A_wrong_guess_is_seen_by_the_counter_and_repaired_within_about_one_round_trip_with_nothing_wrong_left()
    {
        MoshPrograms ours = MoshPrograms.RequireOurs();
        EchoLatencies ourRun = await TypingSession.RunAsync("ours (adaptive)", ours.Client, ours.Server, ThreeHundredMs, WrongGuesses);
        // Upstream's client in the same scenario, for comparison: its count is printed, not asserted.
        EchoLatencies upstreamRun = await TypingSession.RunAsync("upstream client, our server", MoshPrograms.Upstream.Client, ours.Server,
            ThreeHundredMs, WrongGuesses);
        await TestContext.Out.WriteLineAsync(EchoLatencies.Table(
            $"Wrong guesses at {ThreeHundredMs}, {WrongGuesses.Name}, {TypingSession.Rhythm}:", ourRun, upstreamRun));
        await TestContext.Out.WriteLineAsync(
            $"wrong-screen spells until repaired (ms): ours {Spells(ourRun)}; upstream client {Spells(upstreamRun)}");

        Assert.Multiple(() =>
        {
            Assert.That(ourRun.Mispredictions, Is.GreaterThan(0), "the typed z shown before the server's Z is a wrong screen the counter must see");
            Assert.That(ourRun.WrongSpellsMs, Is.Not.Empty, "a wrong screen is a spell that ends");
            Assert.That(ourRun.WrongSpellsMs, Has.All.LessThan(RepairLimitMs),
                "each wrong screen is repaired about one round trip after its key (infinity: never repaired)");
            Assert.That(ourRun.WrongLeft, Is.Empty, "nothing wrong may remain once the server's frames arrived");
            Assert.That(ourRun.Keys.Where(k => k.Milliseconds is null).Select(k => k.Key), Is.Empty,
                "every key ends up shown as the server has it (Z for z)");
            Assert.That(upstreamRun.WrongLeft, Is.Empty, "upstream's client too is left with nothing wrong");
        });
    }

    [Test]
    public async Task Typing_that_the_shell_echoes_as_typed_counts_no_misprediction()
    {
        MoshPrograms ours = MoshPrograms.RequireOurs();
        EchoLatencies run = await TypingSession.RunAsync("ours (adaptive)", ours.Client, ours.Server, ThreeHundredMs, RightGuesses);
        await TestContext.Out.WriteLineAsync(EchoLatencies.Table(
            $"Right guesses at {ThreeHundredMs}, {RightGuesses.Name}, {TypingSession.Rhythm}:", run));

        Assert.Multiple(() =>
        {
            Assert.That(run.Keys.Where(k => k.Milliseconds < ThreeHundredMs.RoundTripMs), Is.Not.Empty,
                "guesses were shown (keys on screen before their echo could be back), so zero counts right guesses, not no guesses");
            Assert.That(run.Mispredictions, Is.Zero, "every guess is right, so nothing may be counted as contradicted");
            Assert.That(run.WrongSpellsMs, Is.Empty);
            Assert.That(run.WrongLeft, Is.Empty);
        });
    }

    private static string Spells(EchoLatencies run) =>
        run.WrongSpellsMs.Count == 0 ? "none" : string.Join(' ', run.WrongSpellsMs.Select(ms => ms.ToString("0", CultureInfo.InvariantCulture)));
}
