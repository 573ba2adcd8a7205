namespace Mosh.EndToEnd.Harness;

/// <summary>Polling with a generous deadline: the only synchronisation tests use (never a bare sleep).
/// MOSH_E2E_TIMEOUT_SCALE (a number, default 1) stretches every deadline on slow machines.</summary>
internal static class Poll
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    public static readonly double TimeoutScale =
        double.TryParse(Environment.GetEnvironmentVariable("MOSH_E2E_TIMEOUT_SCALE"), System.Globalization.CultureInfo.InvariantCulture, out double scale) && scale > 0 ? scale : 1;

    public static async Task UntilAsync(Func<bool> condition, TimeSpan timeout, Func<string> describeFailure)
    {
        var deadline = DateTime.UtcNow + timeout * TimeoutScale;
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
        var deadline = DateTime.UtcNow + timeout * TimeoutScale;
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
