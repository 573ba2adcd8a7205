using Mosh.Terminal;

namespace Mosh.Prediction;

/// <summary>
/// A guess about one screen cell: what it will show once the server has processed the keystroke sent as
/// frame <see cref="ExpirationFrame"/>, and from which epoch on it may be drawn. The contents it replaced
/// live in the owning <see cref="PredictedRow"/>.
/// </summary>
internal struct PredictedCell
{
    /// <summary>The user frame whose echo must arrive before the server's screen can be judged.</summary>
    public ulong ExpirationFrame;

    /// <summary>Drawn only once the confirmed epoch reaches this.</summary>
    public ulong TentativeUntilEpoch;

    /// <summary>When the prediction was (last) made, to find long-pending ones.</summary>
    public long PredictionTime;

    /// <summary>Whether this is a prediction at all.</summary>
    public bool Active;

    /// <summary>A cell shifted in from the edge (or from a cell we could not copy): its contents are unknown.</summary>
    public bool Unknown;

    /// <summary>What the cell should show (text kept inline; never <see cref="CellFlags.Overflow"/>).</summary>
    public Cell Replacement;

    public readonly bool IsTentative(ulong confirmedEpoch) => TentativeUntilEpoch > confirmedEpoch;

    /// <summary>Marks the prediction as (re)made for the frame after <paramref name="frameSent"/>.</summary>
    public void Expire(ulong frameSent, long now)
    {
        ExpirationFrame = frameSent + 1;
        PredictionTime = now;
    }

    /// <summary>Forgets the prediction (the row clears its original contents).</summary>
    public void Clear()
    {
        ExpirationFrame = ulong.MaxValue;
        TentativeUntilEpoch = ulong.MaxValue;
        Active = false;
        Unknown = false;
    }
}
