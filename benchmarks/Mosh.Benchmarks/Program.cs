using BenchmarkDotNet.Running;
using Mosh.Benchmarks.Prediction;
using Mosh.Benchmarks.StateSync;
using Mosh.Benchmarks.Terminal;

namespace Mosh.Benchmarks;

internal static class Program
{
    private static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == RenderCycleRunner.Command)
        {
            return RenderCycleRunner.Run(args.AsSpan(1));
        }

        if (args.Length > 0 && args[0] == ServerPathRunner.Command)
        {
            return ServerPathRunner.Run(args.AsSpan(1));
        }

        if (args.Length > 0 && args[0] == StreamFiles.Command)
        {
            return StreamFiles.Run(args.AsSpan(1));
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
