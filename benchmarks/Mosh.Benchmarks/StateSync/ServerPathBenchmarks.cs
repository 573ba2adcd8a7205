using BenchmarkDotNet.Attributes;

namespace Mosh.Benchmarks.StateSync;

/// <summary><see cref="ServerPath"/> under BenchmarkDotNet: nanoseconds per line, JIT-compiled.</summary>
[MemoryDiagnoser]
public class ServerPathBenchmarks
{
    private ServerPath _path = null!;

    [Params(ServerPath.Output.Seq, ServerPath.Output.Colour)]
    public ServerPath.Output Workload { get; set; }

    /// <summary>Scrollback history at its default size, announced by the client (our client); off as with -H 0.</summary>
    [Params(true, false)]
    public bool History { get; set; }

    [GlobalSetup]
    public void Setup() => _path = new ServerPath(Workload, History);

    [GlobalCleanup]
    public void Cleanup() => _path.Dispose();

    /// <summary>Everything from the pty bytes to sealed datagrams, as mosh-server's loop runs it.</summary>
    [Benchmark(OperationsPerInvoke = ServerPath.Lines)]
    public long WholePath() => _path.WholePath();

    /// <summary>The emulator alone, without history (the first stage of <see cref="WholePath"/>).</summary>
    [Benchmark(OperationsPerInvoke = ServerPath.Lines)]
    public void EmulatorOnly() => _path.EmulatorOnly();

    /// <summary>The emulator with the history recording lines as they scroll off (as <see cref="History"/> says).</summary>
    [Benchmark(OperationsPerInvoke = ServerPath.Lines)]
    public void EmulatorAndHistory() => _path.EmulatorAndHistory();
}
