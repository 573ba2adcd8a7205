using BenchmarkDotNet.Attributes;
using Mosh.Crypto;
using Mosh.Network;

namespace Mosh.Benchmarks.Network;

/// <summary>Loopback UDP through two Connections: seal + sendto, recvmsg + open, both directions.</summary>
[MemoryDiagnoser]
public class ConnectionBenchmarks
{
    private Connection _server = null!;
    private Connection _client = null!;
    private readonly byte[] _payload = new byte[400];

    [GlobalSetup]
    public void Setup()
    {
        SessionKey key = SessionKey.Generate();
        _server = Connection.CreateServer(key, "127.0.0.1", new PortRange(0, 0));
        _client = Connection.CreateClient(key, new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, _server.Port));
        new Random(1).NextBytes(_payload);
        _client.Send(_payload);
        _ = Receive(_server);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _client.Dispose();
        _server.Dispose();
    }

    private static int Receive(Connection connection)
    {
        while (true)
        {
            if (connection.TryReceive(out ReadOnlySpan<byte> payload))
            {
                return payload.Length;
            }

            if (!connection.WaitForDatagram(1000))
            {
                throw new InvalidOperationException("datagram lost on loopback");
            }
        }
    }

    /// <summary>One datagram each way (two datagrams per operation).</summary>
    [Benchmark]
    public int RoundTrip()
    {
        _client.SetLastRoundtripSuccess(MonotonicClock.Instance.NowMilliseconds); // keep the client from hopping during long runs
        _client.Send(_payload);
        int received = Receive(_server);
        _server.Send(_payload);
        return received + Receive(_client);
    }
}
