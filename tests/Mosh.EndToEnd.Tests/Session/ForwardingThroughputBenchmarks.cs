using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using Mosh.EndToEnd.Harness;

namespace Mosh.EndToEnd.Session;

/// <summary>
/// The README's forwarding throughput figures: the same checked transfer (<see cref="TcpFirehose"/>) through
/// <c>mosh-client -L</c> (our client and server, through the harness's relay at ~0 and 100 ms round trip) and through
/// <c>ssh -L</c> to the harness's sshd, on loopback and through a <see cref="TcpDelayRelay"/> at 100 ms round trip (the
/// kernel here has no netem; the relay ends TCP at each side, so ssh is held by its own channel window, not TCP's).
/// </summary>
[TestFixture]
[NonParallelizable]
[Explicit("benchmark: run by hand for the README's forwarding figures")]
[Category("Benchmark")]
internal sealed class ForwardingThroughputBenchmarks
{
    private const long LoopbackBytes = 50L << 20;
    private const long DelayedBytes = 8L << 20;

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    [Test]
    public async Task LocalForwardingThroughputOfMoshAndSsh()
    {
        var rows = new List<string>
        {
            $"load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]} at the start",
            await MoshAsync(LoopbackBytes, 0),
            await MoshAsync(DelayedBytes, 100),
            await SshAsync(LoopbackBytes, 0),
            await SshAsync(DelayedBytes, 100),
        };
        await TestContext.Out.WriteLineAsync(string.Join('\n', rows));
    }

    private static async Task<string> MoshAsync(long bytes, int roundTripMs)
    {
        MoshPrograms ours = MoshPrograms.RequireOurs();
        await using TcpFirehose firehose = TcpFirehose.Start(bytes);
        int listenPort = FreePort.Tcp();
        await using MoshSession session = await MoshSession.StartAsync(ours, ours,
            configureRelay: (_, relay) => relay.Impair(new RelayImpairment { DelayMs = roundTripMs / 2.0 }),
            clientArguments: ["-L", $"{listenPort}:127.0.0.1:{firehose.TargetPort}"]);
        await session.RunCommandAsync("fwd-ready");
        return await TimeAsync($"mosh -L, {roundTripMs} ms RTT (relay)", firehose, listenPort, bytes);
    }

    private static async Task<string> SshAsync(long bytes, int roundTripMs)
    {
        await using SshServer sshd = await SshServer.StartAsync();
        await using TcpDelayRelay relay = TcpDelayRelay.Start(sshd.Port, roundTripMs);
        await using TcpFirehose firehose = TcpFirehose.Start(bytes);
        int listenPort = FreePort.Tcp();
        List<string> arguments = [.. sshd.ClientArguments];
        arguments[arguments.IndexOf("-p") + 1] = relay.Port.ToString(CultureInfo.InvariantCulture);
        await using RunningProcess ssh = ProcessRunner.Start(new ProcessSpec(SshServer.SshPath,
            [.. arguments, "-N", "-o", "ExitOnForwardFailure=yes", "-L", $"{listenPort}:127.0.0.1:{firehose.TargetPort}",
                SshServer.Destination]));
        await Poll.UntilAsync(() => Listening(listenPort) || ssh.HasExited, TimeSpan.FromSeconds(30), () => "ssh -L to listen");
        Assert.That(ssh.HasExited, Is.False, ssh.Stderr);
        return await TimeAsync($"ssh -L, {roundTripMs} ms RTT (TCP delay relay)", firehose, listenPort, bytes);
    }

    private static async Task<string> TimeAsync(string label, TcpFirehose firehose, int listenPort, long bytes)
    {
        var clock = Stopwatch.StartNew();
        firehose.StartReading(listenPort);
        await firehose.Reading.WaitAsync(Timeout);
        clock.Stop();
        Assert.That(firehose.Received, Is.EqualTo(bytes), label);
        Assert.That(firehose.FirstMismatch, Is.EqualTo(-1), label);
        double mib = bytes / 1048576.0;
        return string.Create(CultureInfo.InvariantCulture,
            $"{label}: {mib:F0} MiB in {clock.Elapsed.TotalSeconds:F1} s = {mib / clock.Elapsed.TotalSeconds:F2} MiB/s");
    }

    /// <summary>Whether something listens on the port, found by failing to bind it (a probe connection would be
    /// forwarded and take the target's one connection).</summary>
    private static bool Listening(int port)
    {
        try
        {
            var probe = new TcpListener(System.Net.IPAddress.Loopback, port);
            probe.Start();
            probe.Stop();
            return false;
        }
        catch (SocketException)
        {
            return true;
        }
    }
}
