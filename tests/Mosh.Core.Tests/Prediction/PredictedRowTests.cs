using Mosh.Prediction;
using Mosh.Terminal;

namespace Mosh.Tests.Prediction;

internal sealed class PredictedRowTests
{
    private static PredictedRow RowWithTwoPredictions()
    {
        var row = new PredictedRow();
        row.Initialize(3, 10, epoch: 1);
        Span<PredictedCell> cells = row.Cells;
        cells[2].Active = true;
        cells[2].Expire(frameSent: 7, now: 500);
        cells[5].Active = true;
        cells[5].TentativeUntilEpoch = 4;
        cells[5].Expire(frameSent: 4, now: 900);
        return row;
    }

    [Test]
    public void The_summary_gives_the_earliest_frame_time_and_epoch_of_the_active_cells()
    {
        PredictedRowSummary summary = RowWithTwoPredictions().Summary;
        Assert.That(summary.ActiveCells, Is.EqualTo(2));
        Assert.That(summary.EarliestExpirationFrame, Is.EqualTo(5UL));
        Assert.That(summary.OldestPredictionTime, Is.EqualTo(500L));
        Assert.That(summary.EarliestTentativeUntilEpoch, Is.EqualTo(1UL));
    }

    [Test]
    public void The_summary_follows_every_change_to_the_row()
    {
        PredictedRow row = RowWithTwoPredictions();
        Assert.That(row.Summary.ActiveCells, Is.EqualTo(2));

        row.Clear(2);
        Assert.That(row.Summary.ActiveCells, Is.EqualTo(1), "Clear");
        Assert.That(row.Summary.OldestPredictionTime, Is.EqualTo(900L));

        row.ClearKeepingReplacement(5);
        Assert.That(row.Summary.ActiveCells, Is.Zero, "ClearKeepingReplacement");
        Assert.That(row.Summary.EarliestExpirationFrame, Is.EqualTo(ulong.MaxValue));

        row.Cells[1].Active = true;
        Assert.That(row.Summary.ActiveCells, Is.EqualTo(1), "a change through Cells");

        row.Initialize(0, 10, epoch: 2);
        Assert.That(row.Summary.ActiveCells, Is.Zero, "Initialize");
    }

    [Test]
    public void Reading_the_cells_leaves_the_summary_as_it_was()
    {
        PredictedRow row = RowWithTwoPredictions();
        PredictedRowSummary before = row.Summary;
        Assert.That(row.ReadOnlyCells[2].Active, Is.True);
        Assert.That(row.Summary, Is.EqualTo(before));
    }
}
