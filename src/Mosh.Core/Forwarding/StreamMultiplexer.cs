using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Mosh.Protobufs;
using Mosh.Util;

namespace Mosh.Forwarding;

/// <summary>
/// One end of the forwarding extension (field 43): TCP connections carried as streams inside the session. The
/// client accepts on its <c>-L</c> listeners and opens a stream per connection; the server connects to the target
/// an Open frame names. Each stream is reliable and ordered (the session's state sync carries the frames) and
/// flow-controlled: at most <see cref="Window"/> bytes a receiver has not consumed, so no buffer grows without
/// bound. Every socket is non-blocking and served from the session's single poll loop.
/// </summary>
/// <remarks>
/// Frames for the peer accumulate in <see cref="Outgoing"/> as StreamFrames entries; the session hands them to the
/// transport (server: its stream log; client: an event of the user stream) and sets <see cref="OutgoingRoom"/> so a
/// bulk transfer never queues more than the transport should carry. Bad input from the peer (an unknown stream, data
/// past the window, garbage) drops the frame or the stream, never the session.
/// </remarks>
internal sealed class StreamMultiplexer : IDisposable
{
    /// <summary>Bytes a stream may have in flight (sent and not consumed by the receiver).</summary>
    public const int Window = 256 * 1024;

    /// <summary>Most streams open at once; further connections are refused.</summary>
    public const int MaxStreams = 512;

    private const int ReadChunk = 16 * 1024;

    private readonly bool _isClient;
    private readonly Dictionary<uint, ForwardedStream> _streams = [];
    private readonly List<(Socket Socket, ForwardSpec Spec)> _listeners = [];
    private readonly ArrayBufferWriter<byte> _outgoing = new(4096);
    private readonly byte[] _readBuffer = new byte[ReadChunk];
    private readonly Action<string> _report;
    private readonly List<uint> _finished = [];

    /// <summary>What each descriptor of the last <see cref="AddPollDescriptors"/> belongs to (listener index or stream).</summary>
    private readonly List<object> _pollOwners = [];
    private uint _nextId;

    /// <param name="isClient">The client opens odd stream ids and serves no Open from its peer; the server even ids.</param>
    /// <param name="report">Gets one line per problem worth telling the user (a refused connect, a taken port).</param>
    public StreamMultiplexer(bool isClient, Action<string> report)
    {
        _isClient = isClient;
        _report = report;
        _nextId = isClient ? 1u : 2u;
    }

    /// <summary>Frames waiting to go to the peer, as StreamFrames entries.</summary>
    public ReadOnlySpan<byte> Outgoing => _outgoing.WrittenSpan;

    /// <summary>Data bytes the transport can still take now; reading from sockets stops at 0.</summary>
    public int OutgoingRoom { get; set; } = int.MaxValue;

    public int StreamCount => _streams.Count;

    public int ListenerCount => _listeners.Count;

    /// <summary>Most descriptors <see cref="AddPollDescriptors"/> adds.</summary>
    public int DescriptorCount => _listeners.Count + _streams.Count;

    /// <summary>Whether streams are in use: the peer announced the capability.</summary>
    public bool Enabled { get; set; }

    public void ClearOutgoing() => _outgoing.ResetWrittenCount();

    /// <summary>Starts a <c>-L</c> listener; false (reported) when the address cannot be bound.</summary>
    public bool Listen(ForwardSpec spec)
    {
        Socket? socket = null;
        try
        {
            IPAddress address = IPAddress.Parse(spec.BindAddress);
            socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(new IPEndPoint(address, spec.Port));
            socket.Listen(64);
            socket.Blocking = false;
            _listeners.Add((socket, spec));
            return true;
        }
        catch (Exception e) when (e is SocketException or FormatException)
        {
            socket?.Dispose();
            _report($"cannot listen on {ForwardSpec.FormatTarget(spec.BindAddress, spec.Port)} for forwarding: {e.Message}");
            return false;
        }
    }

    /// <summary>Closes the listeners (forwarding cannot work with this peer).</summary>
    public void StopListening()
    {
        foreach ((Socket socket, _) in _listeners)
        {
            socket.Dispose();
        }

        _listeners.Clear();
    }

    /// <summary>Resets every stream (a new client took over the session: its streams start afresh).</summary>
    public void ResetAll()
    {
        foreach (ForwardedStream stream in _streams.Values)
        {
            stream.Dispose();
        }

        _streams.Clear();
        _outgoing.ResetWrittenCount();
    }

    /// <summary>
    /// Puts the descriptors to wait on after <paramref name="start"/> in <paramref name="descriptors"/> (which holds
    /// at least <see cref="DescriptorCount"/> more) and returns how many; a socket with nothing to wait for is
    /// parked (fd -1), so a hang-up the loop cannot act on yet does not spin it.
    /// </summary>
    public int AddPollDescriptors(Span<PollDescriptor> descriptors, int start)
    {
        _pollOwners.Clear();
        int count = 0;
        if (!Enabled)
        {
            return 0;
        }

        for (int i = 0; i < _listeners.Count; i++)
        {
            bool accept = _streams.Count < MaxStreams;
            descriptors[start + count++] = new PollDescriptor(accept ? (int)_listeners[i].Socket.Handle : -1, PollEvents.Readable);
            _pollOwners.Add(i);
        }

        foreach (ForwardedStream stream in _streams.Values)
        {
            PollEvents events = PollEvents.None;
            if (stream.Connecting || !stream.Buffered.IsEmpty)
            {
                events |= PollEvents.Writable;
            }

            if (CanRead(stream))
            {
                events |= PollEvents.Readable;
            }

            descriptors[start + count++] = new PollDescriptor(events == PollEvents.None ? -1 : (int)stream.Socket.Handle, events);
            _pollOwners.Add(stream);
        }

        return count;
    }

    /// <summary>Acts on what the poll reported for the descriptors <see cref="AddPollDescriptors"/> added.</summary>
    public void Service(ReadOnlySpan<PollDescriptor> returned)
    {
        for (int i = 0; i < returned.Length && i < _pollOwners.Count; i++)
        {
            PollEvents events = returned[i].ReturnedEvents;
            if (events == PollEvents.None)
            {
                continue;
            }

            if (_pollOwners[i] is int listener)
            {
                Accept(_listeners[listener]);
                continue;
            }

            var stream = (ForwardedStream)_pollOwners[i];
            if (!_streams.ContainsKey(stream.Id))
            {
                continue; // reset meanwhile
            }

            if (stream.Connecting)
            {
                FinishConnect(stream);
                continue;
            }

            if ((events & PollEvents.Writable) != 0)
            {
                Flush(stream);
            }

            if ((events & (PollEvents.Readable | PollEvents.HangUp | PollEvents.Error)) != 0 && CanRead(stream))
            {
                Read(stream);
            }
        }

        RemoveFinished();
    }

    /// <summary>Takes frames from the peer (StreamFrames entries); malformed ones are skipped.</summary>
    public void Receive(ReadOnlySpan<byte> entries)
    {
        while (StreamFramesMessage.TryReadEntry(ref entries, out ReadOnlySpan<byte> content, out _))
        {
            if (StreamFrame.TryParse(content, out StreamFrame frame))
            {
                Handle(frame);
            }
        }

        RemoveFinished();
    }

    private void Handle(StreamFrame frame)
    {
        if (frame.Kind == StreamFrameKind.Open)
        {
            Open(frame.Id, frame.Data);
            return;
        }

        if (!_streams.TryGetValue(frame.Id, out ForwardedStream? stream))
        {
            return; // a stream never opened, or one already gone: the frame is dropped
        }

        switch (frame.Kind)
        {
            case StreamFrameKind.Data:
                if (stream.PeerClosed || stream.Received + (ulong)frame.Data.Length > stream.Consumed + Window)
                {
                    Reset(stream, "window exceeded");
                    return;
                }

                stream.Buffer(frame.Data);
                stream.Received += (ulong)frame.Data.Length;
                Flush(stream);
                break;
            case StreamFrameKind.Close:
                stream.PeerClosed = true;
                Flush(stream);
                break;
            case StreamFrameKind.Reset:
                if (_isClient && !stream.HeardData && !frame.Data.IsEmpty)
                {
                    _report($"forwarding to {stream.Target}: {Encoding.UTF8.GetString(frame.Data)}");
                }

                Drop(stream);
                break;
            case StreamFrameKind.Window:
                if (frame.Value <= stream.Sent)
                {
                    stream.PeerConsumed = Math.Max(stream.PeerConsumed, frame.Value);
                }

                break;
        }
    }

    /// <summary>The peer opened a stream: only the server serves Opens (the client forwards only what its user asked).</summary>
    private void Open(uint id, ReadOnlySpan<byte> targetBytes)
    {
        bool peerParity = _isClient ? id % 2 == 0 : id % 2 == 1;
        if (_streams.ContainsKey(id) || !peerParity)
        {
            return; // a duplicate or an id the peer may not choose: dropped
        }

        if (_isClient)
        {
            Emit(new StreamFrame(id, StreamFrameKind.Reset, "the client did not ask for this forwarding"u8));
            return;
        }

        if (_streams.Count >= MaxStreams)
        {
            Emit(new StreamFrame(id, StreamFrameKind.Reset, "too many forwarded connections"u8));
            return;
        }

        string target = Encoding.UTF8.GetString(targetBytes);
        if (!ForwardSpec.TryParseTarget(target, out string host, out int port))
        {
            Emit(new StreamFrame(id, StreamFrameKind.Reset, Encoding.UTF8.GetBytes($"bad target '{target}'")));
            return;
        }

        Socket? socket = null;
        try
        {
            IPAddress address = IPAddress.TryParse(host, out IPAddress? literal)
                ? literal
                : Dns.GetHostAddresses(host)[0]; // resolution blocks the loop briefly; names are usually local
            socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { Blocking = false, NoDelay = true };
            bool connecting = false;
            try
            {
                socket.Connect(new IPEndPoint(address, port));
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress)
            {
                connecting = true;
            }

            _streams.Add(id, new ForwardedStream(id, socket, target, connecting));
        }
        catch (Exception e) when (e is SocketException or ArgumentException or IndexOutOfRangeException)
        {
            socket?.Dispose();
            Emit(new StreamFrame(id, StreamFrameKind.Reset, Encoding.UTF8.GetBytes($"connect to {target} failed: {e.Message}")));
        }
    }

    private void FinishConnect(ForwardedStream stream)
    {
        var error = (SocketError)(int)stream.Socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error)!;
        if (error != SocketError.Success)
        {
            string message = new SocketException((int)error).Message;
            Emit(new StreamFrame(stream.Id, StreamFrameKind.Reset, Encoding.UTF8.GetBytes($"connect to {stream.Target} failed: {message}")));
            Drop(stream);
            return;
        }

        stream.Connecting = false;
        Flush(stream);
    }

    private void Accept((Socket Socket, ForwardSpec Spec) listener)
    {
        Socket socket;
        try
        {
            socket = listener.Socket.Accept();
        }
        catch (SocketException)
        {
            return; // gone before we took it
        }

        if (_streams.Count >= MaxStreams)
        {
            socket.Dispose();
            return;
        }

        socket.Blocking = false;
        socket.NoDelay = true;
        uint id = NextId();
        var stream = new ForwardedStream(id, socket, listener.Spec.Target, connecting: false);
        _streams.Add(id, stream);
        Emit(new StreamFrame(id, StreamFrameKind.Open, Encoding.UTF8.GetBytes(stream.Target)));
    }

    private uint NextId()
    {
        while (true)
        {
            uint id = _nextId;
            _nextId = _nextId >= uint.MaxValue - 2 ? (_isClient ? 1u : 2u) : _nextId + 2;
            if (!_streams.ContainsKey(id))
            {
                return id;
            }
        }
    }

    private bool CanRead(ForwardedStream stream) =>
        !stream.Connecting && !stream.LocalEof && OutgoingRoom > 0 && stream.Sent - stream.PeerConsumed < Window;

    private void Read(ForwardedStream stream)
    {
        int room = (int)Math.Min((ulong)Math.Min(OutgoingRoom, ReadChunk), Window - (stream.Sent - stream.PeerConsumed));
        int read = stream.Socket.Receive(_readBuffer.AsSpan(0, room), SocketFlags.None, out SocketError error);
        if (error == SocketError.WouldBlock)
        {
            return;
        }

        if (error != SocketError.Success)
        {
            Reset(stream, string.Empty);
            return;
        }

        if (read == 0)
        {
            stream.LocalEof = true;
            Emit(new StreamFrame(stream.Id, StreamFrameKind.Close));
            CheckFinished(stream);
            return;
        }

        stream.Sent += (ulong)read;
        OutgoingRoom -= read;
        Emit(new StreamFrame(stream.Id, StreamFrameKind.Data, _readBuffer.AsSpan(0, read)));
    }

    /// <summary>Writes what the local socket takes now; announces consumption every quarter window.</summary>
    private void Flush(ForwardedStream stream)
    {
        if (stream.Connecting)
        {
            return;
        }

        while (!stream.Buffered.IsEmpty)
        {
            int written = stream.Socket.Send(stream.Buffered, SocketFlags.None, out SocketError error);
            if (error == SocketError.WouldBlock)
            {
                break;
            }

            if (error != SocketError.Success || written <= 0)
            {
                Reset(stream, string.Empty);
                return;
            }

            stream.Consume(written);
        }

        if (stream.Consumed - stream.ConsumedAnnounced >= Window / 4
            || (stream.Buffered.IsEmpty && stream.Consumed != stream.ConsumedAnnounced && !stream.PeerClosed))
        {
            stream.ConsumedAnnounced = stream.Consumed;
            Emit(new StreamFrame(stream.Id, StreamFrameKind.Window, value: stream.Consumed));
        }

        if (stream.PeerClosed && stream.Buffered.IsEmpty && !stream.ShutdownSent)
        {
            stream.ShutdownSent = true;
            try
            {
                stream.Socket.Shutdown(SocketShutdown.Send);
            }
            catch (SocketException)
            {
                // the connection is gone already; the read side notices
            }
        }

        CheckFinished(stream);
    }

    private void CheckFinished(ForwardedStream stream)
    {
        if (stream.LocalEof && stream.ShutdownSent)
        {
            _finished.Add(stream.Id);
        }
    }

    /// <summary>Our side gives up on a stream: the peer is told, the local socket closed.</summary>
    private void Reset(ForwardedStream stream, string reason)
    {
        Emit(new StreamFrame(stream.Id, StreamFrameKind.Reset, Encoding.UTF8.GetBytes(reason)));
        Drop(stream);
    }

    private void Drop(ForwardedStream stream)
    {
        stream.Dispose();
        _ = _streams.Remove(stream.Id);
    }

    private void RemoveFinished()
    {
        foreach (uint id in _finished)
        {
            if (_streams.Remove(id, out ForwardedStream? stream))
            {
                stream.Dispose();
            }
        }

        _finished.Clear();
    }

    private void Emit(StreamFrame frame) => frame.WriteEntry(_outgoing);

    public void Dispose()
    {
        StopListening();
        ResetAll();
    }
}
