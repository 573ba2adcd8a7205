using System.Diagnostics;
using System.Globalization;

namespace Mosh.Benchmarks.StateSync;

/// <summary>
/// <c>Mosh.Benchmarks server-path [rounds] [seq|colour]</c> (JIT-compiled) or <c>make server-path</c> (native AOT, as
/// mosh-server is built): <see cref="ServerPath"/>'s stages without BenchmarkDotNet, as
/// nanoseconds per line (the best of <c>rounds</c>, default 30, after each stage ran untimed for a while so the JIT,
/// where it runs, has optimised it). On a shared machine the best of many short rounds is the steadiest figure, and it lets two
/// builds take turns in one script for an A/B comparison.
/// </summary>
internal static class ServerPathRunner
{
    public const string Command = "server-path";

    /// <summary>How long each stage runs untimed first, so what is timed is the optimised code.</summary>
    private const int WarmUpMilliseconds = 1500;

    public static int Run(ReadOnlySpan<string> args)
    {
        int rounds = 30;
        if (args.Length > 0 && (!int.TryParse(args[0], CultureInfo.InvariantCulture, out rounds) || rounds is < 1 or > 100_000))
        {
            Console.Error.WriteLine("bogus round count");
            return 1;
        }

        ServerPath.Output? only = null;
        if (args.Length > 1)
        {
            if (!Enum.TryParse(args[1], ignoreCase: true, out ServerPath.Output parsed) || !Enum.IsDefined(parsed))
            {
                Console.Error.WriteLine("workload: seq or colour");
                return 1;
            }

            only = parsed;
        }

        foreach (ServerPath.Output workload in (ReadOnlySpan<ServerPath.Output>)[ServerPath.Output.Seq, ServerPath.Output.Colour])
        {
            if (only is { } chosen && chosen != workload)
            {
                continue;
            }

            foreach (bool history in (ReadOnlySpan<bool>)[true, false])
            {
                using var bench = new ServerPath(workload, history);
                double whole = Best(rounds, () => bench.WholePath());
                double emulator = Best(rounds, bench.EmulatorOnly);
                double withHistory = Best(rounds, bench.EmulatorAndHistory);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"server-path {workload,-6} history {(history ? "on " : "off")}: whole {whole,8:F1} ns/line, emulator {emulator,8:F1}, emulator+history {withHistory,8:F1}"));
            }
        }

        return 0;
    }

    private static double Best(int rounds, Action round)
    {
        // Rounds take about a millisecond, so timing them at once measured the JIT's first tiers: the runtime moves
        // hot methods to optimised code only after they have run for a while (about 100 ms without new methods
        // compiling). Measured: seq emulator 24 ns a line right away, 2.6 ns once optimised.
        long warmUntil = Stopwatch.GetTimestamp() + Stopwatch.Frequency * WarmUpMilliseconds / 1000;
        while (Stopwatch.GetTimestamp() < warmUntil)
        {
            round();
        }

        double best = double.MaxValue;
        for (int i = 0; i < rounds; i++)
        {
            long start = Stopwatch.GetTimestamp();
            round();
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalNanoseconds / ServerPath.Lines);
        }

        return best;
    }
}
