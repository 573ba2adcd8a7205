using Mosh.Util;

namespace Mosh.Tests.Util;

[TestFixture]
public class PollRateLimiterTests
{
    [Test]
    public void Ten_zero_timeout_polls_in_a_row_turn_the_following_ones_into_one_millisecond_waits()
    {
        var limiter = new PollRateLimiter();
        int[] timeouts = [.. Enumerable.Range(0, 12).Select(_ => limiter.Adjust(0, null))];
        Assert.That(timeouts, Is.EqualTo(new[] { 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1 }));
    }

    [Test]
    public void A_real_wait_resets_the_count_and_is_left_alone()
    {
        var limiter = new PollRateLimiter();
        for (int i = 0; i < 9; i++)
        {
            limiter.Adjust(0, null);
        }
        Assert.That(limiter.Adjust(250, null), Is.EqualTo(250));
        Assert.That(limiter.Adjust(0, null), Is.Zero, "counting starts again");
    }

    [Test]
    public void With_a_trace_the_polls_and_the_limiting_are_reported_as_upstreams_select_does()
    {
        var lines = new List<string>();
        var limiter = new PollRateLimiter();
        for (int i = 0; i < 11; i++)
        {
            limiter.Adjust(0, lines.Add);
        }
        limiter.Adjust(5, lines.Add);
        Assert.That(lines.Count(l => l == "select: got poll (timeout 0)"), Is.EqualTo(11));
        Assert.That(lines.Where(l => l != "select: got poll (timeout 0)"), Is.EqualTo(new[]
        {
            "select: got 10 polls, rate limiting.",
            "select: got 11 consecutive polls",
        }));
    }
}
