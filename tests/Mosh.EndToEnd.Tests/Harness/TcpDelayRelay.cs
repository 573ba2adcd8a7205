using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace Mosh.EndToEnd.Harness;

/// <summary>
/// A TCP relay on 127.0.0.1 that hands each chunk on a fixed delay after it arrived, each way: the kernel here has no
/// netem, so this gives a TCP protocol (ssh) the round trip the UDP relay gives mosh. It ends TCP at each side, so TCP's
/// own window does not span the delay; a protocol with its own window (ssh's channel window) is still held to it.
/// At most <see cref="MaxInFlight"/> bytes wait per direction (the reader pauses beyond that).
/// </summary>
internal sealed class TcpDelayRelay : IAsyncDisposable
{
    private const int MaxInFlight = 32 << 20;
    private const int ChunkSize = 64 << 10;

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _targetPort;
    private readonly TimeSpan _delay;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _pumps = [];
    private readonly List<Socket> _sockets = [];
    private readonly Task _accepting;

    private TcpDelayRelay(int targetPort, TimeSpan oneWayDelay)
    {
        _targetPort = targetPort;
        _delay = oneWayDelay;
        _listener.Start();
        _accepting = Task.Run(AcceptAsync);
    }

    /// <summary>Relays connections to 127.0.0.1:<paramref name="targetPort"/> with <paramref name="roundTripMs"/>/2 each way.</summary>
    public static TcpDelayRelay Start(int targetPort, int roundTripMs) =>
        new(targetPort, TimeSpan.FromMilliseconds(roundTripMs / 2.0));

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    private async Task AcceptAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                Socket accepted = await _listener.AcceptSocketAsync(_stop.Token).ConfigureAwait(false);
                var target = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await target.ConnectAsync(IPAddress.Loopback, _targetPort, _stop.Token).ConfigureAwait(false);
                lock (_pumps)
                {
                    _sockets.Add(accepted);
                    _sockets.Add(target);
                    _pumps.Add(PumpAsync(accepted, target));
                    _pumps.Add(PumpAsync(target, accepted));
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // stopped
        }
    }

    /// <summary>One direction: chunks are read at once and written when their delay is over, in order.</summary>
    private async Task PumpAsync(Socket from, Socket to)
    {
        var queue = Channel.CreateUnbounded<(byte[] Data, int Length, long Due)>();
        long inFlight = 0;
        using var room = new SemaphoreSlim(0);
        Task writer = Task.Run(async () =>
        {
            try
            {
                await foreach ((byte[] data, int length, long due) in queue.Reader.ReadAllAsync(_stop.Token).ConfigureAwait(false))
                {
                    long wait = due - Stopwatch.GetTimestamp();
                    if (wait > 0)
                    {
                        await Task.Delay(TimeSpan.FromTicks(wait * TimeSpan.TicksPerSecond / Stopwatch.Frequency), _stop.Token).ConfigureAwait(false);
                    }

                    if (length == 0)
                    {
                        to.Shutdown(SocketShutdown.Send);
                        return;
                    }

                    await to.SendAsync(data.AsMemory(0, length), _stop.Token).ConfigureAwait(false);
                    Interlocked.Add(ref inFlight, -length);
                    room.Release();
                }
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // stopped, or the other side went away
            }
        });

        try
        {
            long delayTicks = (long)(_delay.TotalSeconds * Stopwatch.Frequency);
            while (true)
            {
                while (Interlocked.Read(ref inFlight) > MaxInFlight)
                {
                    await room.WaitAsync(_stop.Token).ConfigureAwait(false);
                }

                byte[] buffer = new byte[ChunkSize];
                int n = await from.ReceiveAsync(buffer, _stop.Token).ConfigureAwait(false);
                Interlocked.Add(ref inFlight, n);
                queue.Writer.TryWrite((buffer, n, Stopwatch.GetTimestamp() + delayTicks));
                if (n == 0)
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // stopped, or the other side went away
        }

        queue.Writer.TryComplete();
        await writer.ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        await _accepting.ConfigureAwait(false);
        Task[] pumps;
        lock (_pumps)
        {
            pumps = [.. _pumps];
            foreach (Socket socket in _sockets)
            {
                socket.Dispose();
            }
        }

        await Task.WhenAll(pumps).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        _stop.Dispose();
    }
}
