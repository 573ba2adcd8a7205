using Mosh.StateSync;

namespace Mosh.Tests.StateSync;

[TestFixture]
public class AdaptiveStreamBudgetTests
{
    [Test]
    public void A_clean_link_keeps_the_largest_frames()
    {
        var budget = new AdaptiveStreamBudget();
        for (ulong acked = 1; acked < 50; acked++)
        {
            Assert.That(budget.Update(0, acked), Is.EqualTo(AdaptiveStreamBudget.Max));
        }
    }

    [Test]
    public void Each_timeout_halves_the_budget_down_to_one_datagram_and_acknowledgements_grow_it_back()
    {
        var budget = new AdaptiveStreamBudget();
        Assert.That(budget.Update(1, 0), Is.EqualTo(AdaptiveStreamBudget.Max / 2));
        Assert.That(budget.Update(3, 0), Is.EqualTo(AdaptiveStreamBudget.Max / 8), "two more timeouts in one turn: halved twice");
        Assert.That(budget.Update(40, 0), Is.EqualTo(AdaptiveStreamBudget.Min));
        Assert.That(budget.Update(40, 5), Is.EqualTo(AdaptiveStreamBudget.Min + AdaptiveStreamBudget.Step), "an acknowledgement grows it a step");
        Assert.That(budget.Update(40, 5), Is.EqualTo(AdaptiveStreamBudget.Min + AdaptiveStreamBudget.Step), "no news, no change");
        for (ulong acked = 6; acked < 30; acked++)
        {
            _ = budget.Update(40, acked);
        }

        Assert.That(budget.Budget, Is.EqualTo(AdaptiveStreamBudget.Max), "capped at the maximum");
    }

    [Test]
    public void A_reset_starts_over_at_the_maximum_with_fresh_counters()
    {
        var budget = new AdaptiveStreamBudget();
        _ = budget.Update(5, 9);
        budget.Reset();
        Assert.That(budget.Budget, Is.EqualTo(AdaptiveStreamBudget.Max));
        Assert.That(budget.Update(1, 1), Is.EqualTo(AdaptiveStreamBudget.Max / 2), "a new transport's first timeout counts");
    }
}
