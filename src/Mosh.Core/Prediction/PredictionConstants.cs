namespace Mosh.Prediction;

/// <summary>Upstream's adaptive-display thresholds (terminaloverlay.h), in milliseconds unless named a count.</summary>
internal static class PredictionConstants
{
    /// <summary>A send interval at or below this cures the SRTT trigger (once nothing is predicted).</summary>
    public const int SrttTriggerLow = 20;

    /// <summary>A send interval above this shows predictions.</summary>
    public const int SrttTriggerHigh = 30;

    /// <summary>A send interval at or below this stops underlining.</summary>
    public const int FlagTriggerLow = 50;

    /// <summary>A send interval above this underlines predictions.</summary>
    public const int FlagTriggerHigh = 80;

    /// <summary>A prediction outstanding this long is a glitch: show predictions.</summary>
    public const long GlitchThreshold = 250;

    /// <summary>Quick confirmations needed to cure the glitch trigger.</summary>
    public const int GlitchRepairCount = 10;

    /// <summary>Minimum time between two quick confirmations that count toward the cure.</summary>
    public const long GlitchRepairMinInterval = 150;

    /// <summary>A prediction outstanding this long shows and underlines predictions.</summary>
    public const long GlitchFlagThreshold = 5000;

    /// <summary>Typing chunks longer than this are a paste: no prediction.</summary>
    public const int PasteThreshold = 100;

    /// <summary>How often the engine wants a frame while timing triggers are still to fire.</summary>
    public const int TimingTestIntervalMs = 50;
}
