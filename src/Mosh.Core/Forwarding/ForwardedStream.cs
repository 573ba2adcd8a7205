using System.Net.Sockets;

namespace Mosh.Forwarding;

/// <summary>
/// One forwarded TCP connection: its local socket, the counters of both flow-control windows, and the bytes
/// received from the peer that the local socket has not taken yet (bounded by the window the peer must respect).
/// </summary>
internal sealed class ForwardedStream : IDisposable
{
    private byte[] _buffer = [];
    private int _bufferStart;
    private int _bufferEnd;

    private Socket? _socket;

    public ForwardedStream(uint id, Socket socket, string target, bool connecting)
    {
        Id = id;
        _socket = socket;
        Target = target;
        Connecting = connecting;
    }

    /// <summary>A stream whose target's name is being resolved: it has no socket until <see cref="Attach"/>.</summary>
    public ForwardedStream(uint id, Task<System.Net.IPAddress[]> resolution, int port, string target)
    {
        Id = id;
        Resolution = resolution;
        ResolvedPort = port;
        Target = target;
        Connecting = true;
    }

    public uint Id { get; }

    /// <summary>The local socket (not while <see cref="Resolution"/> runs).</summary>
    public Socket Socket => _socket ?? throw new InvalidOperationException("the stream's target is still being resolved");

    /// <summary>The lookup of the target's name, while it runs; data from the peer waits in the buffer meanwhile.</summary>
    public Task<System.Net.IPAddress[]>? Resolution { get; private set; }

    /// <summary>The port to connect to once <see cref="Resolution"/> completes.</summary>
    public int ResolvedPort { get; }

    /// <summary>The name was resolved: the stream connects with <paramref name="socket"/>.</summary>
    public void Attach(Socket socket)
    {
        Resolution = null;
        _socket = socket;
    }

    /// <summary>The name did not resolve: the stream is reset without ever having a socket.</summary>
    public void EndResolution() => Resolution = null;

    /// <summary>"host:port" the far end connects to, for messages.</summary>
    public string Target { get; }

    /// <summary>This end accepted the connection and sent the Open (the peer connected for it).</summary>
    public bool OpenedHere { get; init; }

    /// <summary>A non-blocking connect has not finished yet.</summary>
    public bool Connecting { get; set; }

    /// <summary>Data bytes sent to the peer.</summary>
    public ulong Sent { get; set; }

    /// <summary>Data bytes the peer says it has consumed (its Window frames).</summary>
    public ulong PeerConsumed { get; set; }

    /// <summary>Data bytes received from the peer.</summary>
    public ulong Received { get; set; }

    /// <summary>Of <see cref="Received"/>, the bytes written to the local socket.</summary>
    public ulong Consumed { get; set; }

    /// <summary><see cref="Consumed"/> as last announced to the peer.</summary>
    public ulong ConsumedAnnounced { get; set; }

    /// <summary>The local socket reached end of file and the peer was sent a Close.</summary>
    public bool LocalEof { get; set; }

    /// <summary>The peer sent a Close: once the buffer is written, the local socket's sending side shuts down.</summary>
    public bool PeerClosed { get; set; }

    public bool ShutdownSent { get; set; }

    /// <summary>Some data came from the peer (a connect failure is only reported before any).</summary>
    public bool HeardData => Received != 0;

    /// <summary>Bytes waiting for the local socket.</summary>
    public ReadOnlySpan<byte> Buffered => _buffer.AsSpan(_bufferStart, _bufferEnd - _bufferStart);

    /// <summary>Keeps bytes for the local socket; the caller has checked them against the window.</summary>
    public void Buffer(ReadOnlySpan<byte> data)
    {
        if (_buffer.Length - _bufferEnd < data.Length)
        {
            int live = _bufferEnd - _bufferStart;
            byte[] target = _buffer.Length - live >= data.Length ? _buffer : new byte[Math.Max(_buffer.Length * 2, live + data.Length)];
            Array.Copy(_buffer, _bufferStart, target, 0, live);
            _buffer = target;
            _bufferStart = 0;
            _bufferEnd = live;
        }

        data.CopyTo(_buffer.AsSpan(_bufferEnd));
        _bufferEnd += data.Length;
    }

    /// <summary>The local socket took <paramref name="count"/> buffered bytes.</summary>
    public void Consume(int count)
    {
        _bufferStart += count;
        Consumed += (ulong)count;
        if (_bufferStart == _bufferEnd)
        {
            _bufferStart = _bufferEnd = 0;
        }
    }

    public void Dispose() => _socket?.Dispose();
}
