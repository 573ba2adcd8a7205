namespace Mosh.EndToEnd.Harness;

/// <summary>Polling with a generous deadline: the only synchronisation tests use (never a bare sleep).</summary>
internal static class Poll
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    public static async Task UntilAsync(Func<bool> condition, TimeSpan timeout, Func<string> describeFailure)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0.#} s waiting for {describeFailure()}");
            }
            await Task.Delay(Interval).ConfigureAwait(false);
        }
    }

    public static Task UntilAsync(Func<bool> condition, TimeSpan timeout, string what) =>
        UntilAsync(condition, timeout, () => what);

    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> describeFailure)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition().ConfigureAwait(false))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0.#} s waiting for {describeFailure()}");
            }
            await Task.Delay(Interval).ConfigureAwait(false);
        }
    }
}
