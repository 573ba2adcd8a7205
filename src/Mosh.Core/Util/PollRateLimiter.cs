namespace Mosh.Util;

/// <summary>
/// Upstream's guard in its select loop: a loop that keeps finding work due now (a zero timeout) polls without
/// sleeping at most <see cref="MAX_POLLS"/> times in a row; after that each wait lasts 1 ms, so it cannot spin a CPU.
/// With a trace (upstream's -v -v) it reports zero-timeout polls and the limiting as upstream's Select does.
/// </summary>
internal struct PollRateLimiter
{
    /// <summary>Consecutive zero-timeout polls allowed before waits are stretched to 1 ms.</summary>
    public const int MAX_POLLS = 10;

    private int _consecutivePolls;

    /// <summary>The timeout (ms, not negative) to wait with instead of <paramref name="timeoutMs"/>.</summary>
    public int Adjust(int timeoutMs, Action<string>? trace)
    {
        if (timeoutMs == 0)
        {
            trace?.Invoke("select: got poll (timeout 0)");
            if (++_consecutivePolls >= MAX_POLLS)
            {
                if (_consecutivePolls == MAX_POLLS)
                {
                    trace?.Invoke($"select: got {MAX_POLLS} polls, rate limiting.");
                }

                return 1;
            }
        }
        else if (_consecutivePolls != 0)
        {
            if (_consecutivePolls >= MAX_POLLS)
            {
                trace?.Invoke($"select: got {_consecutivePolls} consecutive polls");
            }

            _consecutivePolls = 0;
        }

        return timeoutMs;
    }
}
