namespace Mosh.Prediction;

/// <summary>Where the cursor will be once the server has processed frame <see cref="ExpirationFrame"/>.</summary>
internal struct CursorPrediction
{
    public ulong ExpirationFrame;
    public ulong TentativeUntilEpoch;
    public int Row;
    public int Column;

    public CursorPrediction(ulong expirationFrame, int row, int column, ulong tentativeUntilEpoch)
    {
        ExpirationFrame = expirationFrame;
        Row = row;
        Column = column;
        TentativeUntilEpoch = tentativeUntilEpoch;
    }

    public readonly bool IsTentative(ulong confirmedEpoch) => TentativeUntilEpoch > confirmedEpoch;

    public void Expire(ulong frameSent) => ExpirationFrame = frameSent + 1;
}
