using Mosh.Prediction;

namespace Mosh.Tests.Prediction;

public class PredictionSettingsTests
{
    [TestCase("always", "Always")]
    [TestCase("never", "Never")]
    [TestCase("adaptive", "Adaptive")]
    [TestCase("experimental", "Experimental")]
    [TestCase(null, "Adaptive")]
    public void Upstream_mode_names_parse_and_unset_means_adaptive(string? value, string expected) =>
        Assert.That(PredictionSettings.ParseDisplayPreference(value).ToString(), Is.EqualTo(expected));

    [TestCase("fast")]
    [TestCase("Always")]
    [TestCase("")]
    public void Unknown_mode_is_an_error_with_upstreams_message(string value) =>
        Assert.That(() => PredictionSettings.ParseDisplayPreference(value),
            Throws.TypeOf<FormatException>().With.Message.EqualTo($"Unknown prediction mode {value}."));

    [TestCase("yes", true)]
    [TestCase("YES", false)]
    [TestCase("1", false)]
    [TestCase(null, false)]
    public void Overwrite_is_on_only_for_yes(string? value, bool expected) =>
        Assert.That(PredictionSettings.ParseOverwrite(value), Is.EqualTo(expected));
}
