namespace Mosh.Prediction;

/// <summary>
/// What judging and drawing need to know of a <see cref="PredictedRow"/>'s active cells as a whole: with a screenful
/// of predictions waiting for their echo (a slow link, or upstream's render-cycle benchmark), every row but the
/// cursor's is only "still pending" and "still tentative", which these answer without visiting each cell.
/// </summary>
/// <param name="EarliestExpirationFrame">The smallest <see cref="PredictedCell.ExpirationFrame"/> of an active cell (<see cref="ulong.MaxValue"/> without one).</param>
/// <param name="OldestPredictionTime">The earliest <see cref="PredictedCell.PredictionTime"/> of an active cell (<see cref="long.MaxValue"/> without one).</param>
/// <param name="EarliestTentativeUntilEpoch">The smallest <see cref="PredictedCell.TentativeUntilEpoch"/> of an active cell (<see cref="ulong.MaxValue"/> without one).</param>
/// <param name="ActiveCells">How many cells hold a prediction.</param>
internal readonly record struct PredictedRowSummary(ulong EarliestExpirationFrame, long OldestPredictionTime, ulong EarliestTentativeUntilEpoch, int ActiveCells)
{
    /// <summary>Summarises <paramref name="cells"/> (one pass).</summary>
    public static PredictedRowSummary Of(ReadOnlySpan<PredictedCell> cells)
    {
        ulong expiration = ulong.MaxValue, tentative = ulong.MaxValue;
        long oldest = long.MaxValue;
        int active = 0;
        foreach (ref readonly PredictedCell cell in cells)
        {
            if (!cell.Active)
            {
                continue;
            }

            active++;
            expiration = Math.Min(expiration, cell.ExpirationFrame);
            tentative = Math.Min(tentative, cell.TentativeUntilEpoch);
            oldest = Math.Min(oldest, cell.PredictionTime);
        }

        return new PredictedRowSummary(expiration, oldest, tentative, active);
    }
}
