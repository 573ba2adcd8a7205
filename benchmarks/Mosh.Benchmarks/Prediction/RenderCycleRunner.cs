using System.Diagnostics;
using System.Globalization;

namespace Mosh.Benchmarks.Prediction;

/// <summary>
/// <c>Mosh.Benchmarks render-cycle [iterations [width height]]</c>: upstream's example benchmark program,
/// same arguments and defaults (100000 iterations, 80x24), run on our code without BenchmarkDotNet so its
/// iterations per second compare with upstream's <c>src/examples/benchmark</c> timed on the same machine.
/// </summary>
internal static class RenderCycleRunner
{
    public const string Command = "render-cycle";

    public static int Run(ReadOnlySpan<string> args)
    {
        int iterations = 100_000, width = 80, height = 24;
        if (args.Length > 0 && (!int.TryParse(args[0], CultureInfo.InvariantCulture, out iterations) || iterations is < 1 or > 1_000_000_000))
        {
            Console.Error.WriteLine("bogus iteration count");
            return 1;
        }

        if (args.Length > 2
            && (!int.TryParse(args[1], CultureInfo.InvariantCulture, out width) || !int.TryParse(args[2], CultureInfo.InvariantCulture, out height)
                || width is < 1 or > 1000 || height is < 1 or > 1000))
        {
            Console.Error.WriteLine("bogus window size");
            return 1;
        }

        var cycle = new RenderCycle(width, height, confirmedPrompt: false);
        long output = 0;
        int half = iterations / 2;
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < half; i++)
        {
            output += cycle.Step(RenderCycle.UpstreamKey(i));
        }

        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        for (int i = half; i < iterations; i++)
        {
            output += cycle.Step(RenderCycle.UpstreamKey(i));
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"render-cycle {width}x{height}: {iterations} iterations in {seconds:F3} s, {iterations / seconds:F0} iterations/s in the loop; " +
            $"{output / iterations} bytes of redraw per frame; {allocated} B allocated in the second half"));
        return 0;
    }
}
