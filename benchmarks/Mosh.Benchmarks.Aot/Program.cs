using Mosh.Benchmarks.StateSync;

namespace Mosh.Benchmarks;

/// <summary><c>mosh-server-path [rounds] [seq|colour]</c>: <see cref="ServerPathRunner"/>, natively compiled.</summary>
internal static class Program
{
    private static int Main(string[] args) => ServerPathRunner.Run(args);
}
