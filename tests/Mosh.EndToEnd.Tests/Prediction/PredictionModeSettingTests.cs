using Mosh.EndToEnd.Harness;

namespace Mosh.EndToEnd.Prediction;

/// <summary>MOSH_PREDICTION_DISPLAY is checked before anything else happens, with upstream's message.</summary>
[TestFixture]
internal sealed class PredictionModeSettingTests
{
    [Test]
    public async Task UnknownPredictionModeExitsOneWithUpstreamsMessageLikeUpstreamsClient()
    {
        MoshPrograms ours = MoshPrograms.RequireOurs();
        ProcessResult ourResult = await RunWithModeAsync(ours.Client, "sometimes");
        ProcessResult upstreamResult = await RunWithModeAsync(MoshPrograms.Upstream.Client, "sometimes");

        Assert.Multiple(() =>
        {
            Assert.That(ourResult.ExitCode, Is.EqualTo(1), ourResult.Describe());
            Assert.That(ourResult.Stderr, Is.EqualTo("Unknown prediction mode sometimes.\n"), ourResult.Describe());
            Assert.That(ourResult.Stderr, Is.EqualTo(upstreamResult.Stderr), upstreamResult.Describe());
            Assert.That(ourResult.ExitCode, Is.EqualTo(upstreamResult.ExitCode));
        });
    }

    private static Task<ProcessResult> RunWithModeAsync(string client, string mode) =>
        ProcessRunner.RunAsync(
            new ProcessSpec(client, "127.0.0.1", "60001")
            {
                Environment = new Dictionary<string, string?>
                {
                    ["MOSH_KEY"] = "AAAAAAAAAAAAAAAAAAAAAA",
                    ["MOSH_PREDICTION_DISPLAY"] = mode,
                    ["LANG"] = "C.UTF-8",
                },
            },
            TimeSpan.FromSeconds(10 * Poll.TimeoutScale));
}
