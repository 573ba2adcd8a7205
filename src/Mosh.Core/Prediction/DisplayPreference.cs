namespace Mosh.Prediction;

/// <summary>When predictions are drawn (upstream's MOSH_PREDICTION_DISPLAY / mosh --predict).</summary>
internal enum DisplayPreference
{
    /// <summary>Always draw confirmed-epoch predictions.</summary>
    Always,

    /// <summary>Never predict at all.</summary>
    Never,

    /// <summary>Draw only when the link is slow (send interval) or a prediction has been pending too long.</summary>
    Adaptive,

    /// <summary>Always draw, never make predictions tentative; a wrong cell is dropped alone instead of the epoch.</summary>
    Experimental,
}
