using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace Mosh.EndToEnd.Harness;

/// <summary>
/// A bulk TCP transfer for forwarding tests: a target on 127.0.0.1 that sends a fixed random 1 MiB block over and
/// over (up to a limit, or until disposed) to its first connection, and a reader that connects (e.g. to a client's
/// <c>-L</c> listener), checks every byte against the block and counts them. Nothing is stored, so a long transfer
/// costs no memory, yet a lost, repeated or reordered byte is seen.
/// </summary>
internal sealed class TcpFirehose : IAsyncDisposable
{
    private const int BlockSize = 1 << 20;

    private readonly byte[] _block = RandomNumberGenerator.GetBytes(BlockSize);
    private readonly TcpListener _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly long _limit;
    private readonly Task _served;
    private Task? _reading;
    private long _received;
    private long _firstMismatch = -1;
    private byte[]? _sentSha256;
    private byte[]? _receivedSha256;

    private TcpFirehose(long limit, bool anyLoopback)
    {
        _limit = limit;
        // Dual-stack when the target is named "localhost", which may resolve to ::1 or to 127.0.0.1 first.
        _target = anyLoopback ? new TcpListener(IPAddress.IPv6Any, 0) : new TcpListener(IPAddress.Loopback, 0);
        if (anyLoopback)
        {
            _target.Server.DualMode = true;
        }

        _target.Start();
        _served = Task.Run(ServeAsync);
    }

    /// <summary>Serves <paramref name="limit"/> bytes (default: until disposed) to the first connection.</summary>
    public static TcpFirehose Start(long limit = long.MaxValue, bool anyLoopback = false) => new(limit, anyLoopback);

    /// <summary>Where the target listens (the host:hostport of a forwarding spec).</summary>
    public int TargetPort => ((IPEndPoint)_target.LocalEndpoint).Port;

    /// <summary>Bytes the reader has received and checked so far.</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <summary>Offset of the first byte that differed from what was sent, or -1.</summary>
    public long FirstMismatch => Interlocked.Read(ref _firstMismatch);

    /// <summary>SHA-256 of every byte the target sent, once it has sent its limit (null before, or if cut short).</summary>
    public byte[]? SentSha256 => Volatile.Read(ref _sentSha256);

    /// <summary>SHA-256 of every byte the reader received, once it saw the end of the stream (null before).</summary>
    public byte[]? ReceivedSha256 => Volatile.Read(ref _receivedSha256);

    /// <summary>Completes when the target has sent its last byte (or was cut short).</summary>
    public Task Serving => _served;

    /// <summary>Completes when the reader saw the end of the stream (a limited transfer is complete).</summary>
    public Task Reading => _reading ?? Task.CompletedTask;

    /// <summary>Connects to <paramref name="port"/> and reads everything that arrives there.</summary>
    public void StartReading(int port) => _reading = Task.Run(() => ReadAsync(port));

    private async Task ServeAsync()
    {
        using Socket accepted = await _target.AcceptSocketAsync(_stop.Token).ConfigureAwait(false);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long sent = 0;
        try
        {
            while (sent < _limit && !_stop.IsCancellationRequested)
            {
                int offset = (int)(sent % BlockSize);
                int length = (int)Math.Min(BlockSize - offset, _limit - sent);
                int n = await accepted.SendAsync(_block.AsMemory(offset, length), _stop.Token).ConfigureAwait(false);
                sha.AppendData(_block, offset, n);
                sent += n;
            }

            accepted.Shutdown(SocketShutdown.Send);
            Volatile.Write(ref _sentSha256, sha.GetHashAndReset());
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException)
        {
            // Disposed mid-transfer, or the forwarded connection was reset.
        }
    }

    private async Task ReadAsync(int port)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port, _stop.Token).ConfigureAwait(false);
        NetworkStream stream = client.GetStream();
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        byte[] buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                int n = await stream.ReadAsync(buffer, _stop.Token).ConfigureAwait(false);
                if (n == 0)
                {
                    Volatile.Write(ref _receivedSha256, sha.GetHashAndReset());
                    return;
                }

                sha.AppendData(buffer, 0, n);
                long at = Received;
                for (int i = 0; i < n && FirstMismatch < 0; i++)
                {
                    if (buffer[i] != _block[(int)((at + i) % BlockSize)])
                    {
                        Interlocked.Exchange(ref _firstMismatch, at + i);
                    }
                }

                Interlocked.Add(ref _received, n);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            // Disposed: the reading ends with the test.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _target.Stop();
        try
        {
            await Task.WhenAll(_served, Reading).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or IOException)
        {
        }

        _stop.Dispose();
    }
}
