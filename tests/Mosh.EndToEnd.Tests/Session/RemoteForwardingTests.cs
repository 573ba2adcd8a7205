using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Mosh.EndToEnd.Harness;

namespace Mosh.EndToEnd.Session;

/// <summary>
/// <c>mosh-client -R</c> through our server (issue 13): the server listens, and each connection to it is carried
/// inside the session to a target the client connects to on its side.
/// </summary>
[TestFixture]
internal sealed class RemoteForwardingTests
{
    /// <summary>
    /// A target on the client's side: reads its first connection to the end, answers with the SHA-256 of what it read
    /// followed by <paramref name="reply"/>, and closes.
    /// </summary>
    internal static (TcpListener Listener, Task<byte[]> Hash) HashingTarget(byte[] reply)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        Task<byte[]> hash = Task.Run(async () =>
        {
            using Socket accepted = await listener.AcceptSocketAsync().ConfigureAwait(false);
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            byte[] buffer = new byte[65536];
            int n;
            while ((n = await accepted.ReceiveAsync(buffer).ConfigureAwait(false)) > 0)
            {
                sha.AppendData(buffer, 0, n);
            }

            byte[] digest = sha.GetHashAndReset();
            await accepted.SendAsync(digest).ConfigureAwait(false);
            await accepted.SendAsync(reply).ConfigureAwait(false);
            accepted.Shutdown(SocketShutdown.Both);
            return digest;
        });
        return (listener, hash);
    }

    /// <summary>Connects to the server's listener once it is up (the client asks for it after the handshake).</summary>
    private static async Task<TcpClient> ConnectWhenListeningAsync(int port, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var client = new TcpClient();
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, port).ConfigureAwait(false);
                return client;
            }
            catch (SocketException) when (clock.Elapsed < timeout)
            {
                client.Dispose();
                await Task.Delay(100).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Pushes <paramref name="push"/> through the -R listener and reads the target's answer to the end.</summary>
    internal static async Task<byte[]> ExchangeAsync(int port, byte[] push, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        using TcpClient client = await ConnectWhenListeningAsync(port, TimeSpan.FromSeconds(30));
        NetworkStream stream = client.GetStream();
        Task<byte[]> read = Task.Run(async () =>
        {
            using var received = new MemoryStream();
            try
            {
                await stream.CopyToAsync(received, cancel.Token).ConfigureAwait(false);
            }
            catch (IOException)
            {
                // a reset ends the connection as well as a close; the bytes tell whether it arrived intact
            }

            return received.ToArray();
        });
        await stream.WriteAsync(push, cancel.Token);
        client.Client.Shutdown(SocketShutdown.Send);
        return await read;
    }

    private static async Task PushesAndFetchesIntactAsync(int sizeBytes, RelayImpairment impairment, TimeSpan timeout, string label)
    {
        byte[] push = RandomNumberGenerator.GetBytes(sizeBytes);
        byte[] fetch = RandomNumberGenerator.GetBytes(sizeBytes);
        (TcpListener target, Task<byte[]> targetHash) = HashingTarget(fetch);
        using TcpListener stop = target;
        int targetPort = ((IPEndPoint)target.LocalEndpoint).Port;
        int remotePort = FreePort.Tcp();
        MoshPrograms ours = MoshPrograms.RequireOurs();
        await using MoshSession session = await MoshSession.StartAsync(ours, ours,
            configureRelay: (_, relay) => relay.Impair(impairment),
            clientArguments: ["-R", $"{remotePort}:127.0.0.1:{targetPort}"]);

        var clock = Stopwatch.StartNew();
        byte[] answer = await ExchangeAsync(remotePort, push, timeout);
        clock.Stop();
        double mib = 2 * sizeBytes / 1048576.0;
        TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{label}: {sizeBytes / 1048576.0:F1} MiB each way through -R in {clock.Elapsed.TotalSeconds:F2} s = {mib / clock.Elapsed.TotalSeconds:F2} MiB/s"));
        Assert.Multiple(async () =>
        {
            Assert.That(await targetHash, Is.EqualTo(SHA256.HashData(push)), "what the server side pushed arrived intact");
            Assert.That(answer, Has.Length.EqualTo(32 + sizeBytes), "the whole answer came back");
            Assert.That(answer.AsSpan(0, 32).ToArray(), Is.EqualTo(SHA256.HashData(push)));
            Assert.That(SHA256.HashData(answer.AsSpan(32)), Is.EqualTo(SHA256.HashData(fetch)), "and the answer came back intact");
        });
        await session.RunCommandAsync("rfwd-after");
    }

    [Test]
    public Task A_file_pushed_through_remote_forwarding_arrives_intact_and_so_does_the_answer() =>
        PushesAndFetchesIntactAsync(4 * 1024 * 1024, RelayImpairment.None, TimeSpan.FromSeconds(120), "loopback");

    [Test]
    public Task Remote_forwarding_stays_intact_over_delay_and_loss() =>
        PushesAndFetchesIntactAsync(512 * 1024, new RelayImpairment { DelayMs = 25, LossProbability = 0.05 }, TimeSpan.FromSeconds(150),
            "50 ms RTT, 5 % loss each way");

    /// <summary>
    /// Benchmark, not part of make check: the client's upload direction. A target on the client's side sends
    /// <c>MOSH_FWD_BENCH_MIB</c> MiB (default 1) to a connection made to the server's <c>-R</c> listener, at 300 ms RTT
    /// with 10 % loss each way.
    /// </summary>
    [Test]
    [Explicit("benchmark: minutes")]
    public async Task Benchmark_client_upload_through_remote_forwarding_at_300_ms_rtt_and_10_percent_loss()
    {
        long bytes = (int.TryParse(Environment.GetEnvironmentVariable("MOSH_FWD_BENCH_MIB"), CultureInfo.InvariantCulture, out int given) ? given : 1) * 1048576L;
        await using TcpFirehose firehose = TcpFirehose.Start(bytes);
        int remotePort = FreePort.Tcp();
        MoshPrograms ours = MoshPrograms.RequireOurs();
        await using MoshSession session = await MoshSession.StartAsync(ours, ours,
            configureRelay: (_, relay) => relay.Impair(new RelayImpairment { DelayMs = 150, LossProbability = 0.10 }),
            clientArguments: ["-R", $"{remotePort}:127.0.0.1:{firehose.TargetPort}"]);
        await session.RunCommandAsync("rfwd-ready", TimeSpan.FromMinutes(2)); // the Listen went before the typing

        var clock = Stopwatch.StartNew();
        firehose.StartReading(remotePort);
        await firehose.Reading.WaitAsync(TimeSpan.FromHours(1));
        clock.Stop();
        double mib = bytes / 1048576.0;
        TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"client upload through -R at 300 ms RTT, 10 % loss each way: {mib:F1} MiB in {clock.Elapsed.TotalSeconds:F1} s = {mib * 1024 / clock.Elapsed.TotalSeconds:F1} KiB/s"));
        Assert.That(firehose.Received, Is.EqualTo(bytes));
        Assert.That(firehose.FirstMismatch, Is.EqualTo(-1));
    }

    [Test]
    public async Task The_shells_first_command_reaches_a_remote_forward_though_the_clients_request_comes_a_round_trip_later()
    {
        // The client asks for its -R listeners only after the server's hello came back (here 300 ms after its first
        // state). It announces that they follow, so the server starts the command only once they exist.
        using var target = new TcpListener(IPAddress.Loopback, 0);
        target.Start();
        int targetPort = ((IPEndPoint)target.LocalEndpoint).Port;
        Task served = Task.Run(async () =>
        {
            using Socket accepted = await target.AcceptSocketAsync().ConfigureAwait(false);
            await accepted.SendAsync("greeting-from-the-clients-side\n"u8.ToArray()).ConfigureAwait(false);
            accepted.Shutdown(SocketShutdown.Both);
        });
        int remotePort = FreePort.Tcp();
        MoshPrograms ours = MoshPrograms.RequireOurs();
        var delay = new RelayImpairment { DelayMs = 150 };
        await using MoshSession session = await MoshSession.StartAsync(ours, ours,
            serverOptions: new MoshServerOptions
            {
                Command = ["bash", "-c", $"exec 3<>/dev/tcp/127.0.0.1/{remotePort} && cat <&3; echo first-''fetched; sleep 120"],
            },
            clientOptions: new TmuxOptions { Width = 160 },
            configureRelay: (_, relay) => relay.Impair(delay),
            clientArguments: ["-R", $"{remotePort}:127.0.0.1:{targetPort}"]);

        string screen = await session.Client.WaitForLineAsync("first-fetched", TimeSpan.FromSeconds(60));
        Assert.That(screen, Does.Contain("greeting-from-the-clients-side"), "the first command's connection to the -R port is carried");
        Assert.That(screen, Does.Not.Contain("Connection refused"));
        await served.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Test]
    public async Task A_listener_port_taken_on_the_server_is_reported_and_the_session_goes_on()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        int port = ((IPEndPoint)taken.LocalEndpoint).Port;
        MoshPrograms ours = MoshPrograms.RequireOurs();
        // The report covers the prompt's line for a while: the start does not wait for the prompt (a copy of the command).
        await using MoshSession session = await MoshSession.StartAsync(ours, ours,
            serverOptions: new MoshServerOptions { Command = [.. TestShell.Command] },
            clientOptions: new TmuxOptions { Width = 160 },
            clientArguments: ["-R", $"{port}:127.0.0.1:9"]);
        await session.Client.WaitForTextAsync($"cannot listen on 127.0.0.1:{port} on the server");
        await session.RunCommandAsync("rfwd-taken");
    }

    [Test]
    public async Task A_refused_connect_on_the_client_side_closes_the_servers_connection_and_says_why()
    {
        int closedPort = FreePort.Tcp();
        int remotePort = FreePort.Tcp();
        MoshPrograms ours = MoshPrograms.RequireOurs();
        await using MoshSession session = await MoshSession.StartAsync(ours, ours,
            clientOptions: new TmuxOptions { Width = 160 },
            clientArguments: ["-R", $"{remotePort}:127.0.0.1:{closedPort}"]);
        byte[] answer = await ExchangeAsync(remotePort, [1, 2, 3], TimeSpan.FromSeconds(30));
        Assert.That(answer, Is.Empty, "the connection on the server's side closes with nothing");
        await session.Client.WaitForTextAsync($"127.0.0.1:{closedPort} failed");
        await session.RunCommandAsync("rfwd-after");
    }
}
