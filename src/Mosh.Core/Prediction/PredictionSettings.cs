namespace Mosh.Prediction;

/// <summary>Reads the prediction settings mosh-client takes from its environment (set by the mosh wrapper).</summary>
internal static class PredictionSettings
{
    public const string DisplayVariable = "MOSH_PREDICTION_DISPLAY";

    public const string OverwriteVariable = "MOSH_PREDICTION_OVERWRITE";

    /// <summary>
    /// Upstream's names: always, never, adaptive, experimental (exact, case-sensitive). Unset means adaptive;
    /// anything else (including the empty string) is an error carrying upstream's message.
    /// </summary>
    /// <exception cref="FormatException">"Unknown prediction mode X."</exception>
    public static DisplayPreference ParseDisplayPreference(string? value) => value switch
    {
        null => DisplayPreference.Adaptive,
        "always" => DisplayPreference.Always,
        "never" => DisplayPreference.Never,
        "adaptive" => DisplayPreference.Adaptive,
        "experimental" => DisplayPreference.Experimental,
        _ => throw new FormatException($"Unknown prediction mode {value}."),
    };

    /// <summary>Overwrite mode is on only for the exact value "yes", as upstream.</summary>
    public static bool ParseOverwrite(string? value) => string.Equals(value, "yes", StringComparison.Ordinal);
}
