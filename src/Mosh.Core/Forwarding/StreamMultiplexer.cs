using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Mosh.Network;
using Mosh.Protobufs;
using Mosh.Util;

namespace Mosh.Forwarding;

/// <summary>
/// One end of the forwarding extension (field 43): TCP connections carried as streams inside the session. The
/// client accepts on its <c>-L</c> listeners and opens a stream per connection; the server connects to the target
/// an Open frame names. The other way round, the server listens where the client's Listen frames ask (<c>-R</c>) and
/// on the session's agent socket (<c>-A</c>), and opens a stream per connection that names only the client's listener
/// number: the client connects to the target it holds for that number, and resets anything else. Each stream is reliable and ordered (the session's state sync carries the frames) and
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

    /// <summary>Most listeners a client may ask the server for.</summary>
    public const int MaxRemoteListeners = 64;

    /// <summary>The data of a Listen frame that asks for the session's agent socket.</summary>
    public const string AgentRequest = "agent";

    /// <summary>
    /// How long a connection to the agent socket waits for a client to ask for the agent (the shell may run
    /// <c>ssh-add</c> before the client's Listen frame arrives, or between an attach and the new client's hello).
    /// </summary>
    public const int AgentWaitMs = 5000;

    /// <summary>Most agent connections held while waiting; further ones stay in the socket's backlog.</summary>
    public const int MaxAgentWaiting = 16;

    private const int ReadChunk = 16 * 1024;

    private readonly bool _isClient;
    private readonly Dictionary<uint, ForwardedStream> _streams = [];
    private readonly List<StreamListener> _listeners = [];

    /// <summary>Client: what it asked the server to listen for, by listener number, and where it connects.</summary>
    private readonly Dictionary<uint, (string Request, ForwardTarget Target)> _remote = [];
    private readonly ArrayBufferWriter<byte> _outgoing = new(4096);
    private readonly byte[] _readBuffer = new byte[ReadChunk];
    private readonly Action<string> _report;
    private readonly List<uint> _finished = [];

    /// <summary>What each descriptor of the last <see cref="AddPollDescriptors"/> belongs to (listener index or stream).</summary>
    private readonly List<object> _pollOwners = [];

    /// <summary>Server: agent connections accepted before the current client said whether it wants them, and when.</summary>
    private readonly List<(Socket Socket, long Since)> _agentWaiting = [];
    private readonly IClock _clock;
    private uint _nextId;

    /// <summary>Server: the current client will not ask for the agent (its connections are closed at once).</summary>
    private bool _agentDeclined;

    /// <summary>Wakes the loop when a target's name lookup finishes; made at the first lookup.</summary>
    private WakePipe? _resolverWake;

    /// <param name="isClient">The client opens odd stream ids and serves no Open from its peer; the server even ids.</param>
    /// <param name="report">Gets one line per problem worth telling the user (a refused connect, a taken port).</param>
    /// <param name="clock">Times how long agent connections wait (the process's monotonic clock by default).</param>
    public StreamMultiplexer(bool isClient, Action<string> report, IClock? clock = null)
    {
        _isClient = isClient;
        _report = report;
        _clock = clock ?? MonotonicClock.Instance;
        _nextId = isClient ? 1u : 2u;
    }

    /// <summary>Server: agent connections waiting for the client to ask for the agent.</summary>
    public int AgentWaiting => _agentWaiting.Count;

    /// <summary>Milliseconds until the first waiting agent connection gives up (int.MaxValue when none waits).</summary>
    public int WaitTime(long now)
    {
        if (_agentWaiting.Count == 0)
        {
            return int.MaxValue;
        }

        return (int)Math.Clamp(_agentWaiting[0].Since + AgentWaitMs - now, 0, int.MaxValue);
    }

    /// <summary>Frames waiting to go to the peer, as StreamFrames entries.</summary>
    public ReadOnlySpan<byte> Outgoing => _outgoing.WrittenSpan;

    /// <summary>Data bytes the transport can still take now; reading from sockets stops at 0.</summary>
    public int OutgoingRoom { get; set; } = int.MaxValue;

    /// <summary>Most bytes one socket read takes (so one Data frame fits the sender's frame budget on a lossy link).</summary>
    public int ReadLimit { get; set; } = ReadChunk;

    public int StreamCount => _streams.Count;

    public int ListenerCount => _listeners.Count;

    /// <summary>Streams waiting for their target's name lookup.</summary>
    internal int StreamsResolving
    {
        get
        {
            int count = 0;
            foreach (ForwardedStream stream in _streams.Values)
            {
                count += stream.Resolution is null ? 0 : 1;
            }

            return count;
        }
    }

    /// <summary>Most descriptors <see cref="AddPollDescriptors"/> adds.</summary>
    public int DescriptorCount => _listeners.Count + _streams.Count + (_resolverWake is null ? 0 : 1);

    /// <summary>Server: the current client's ListenEnd arrived (its <c>-R</c> and agent requests are all served).</summary>
    public bool RequestsEnded { get; private set; }

    /// <summary>Whether streams are in use: the peer announced the capability.</summary>
    public bool Enabled { get; set; }

    public void ClearOutgoing() => _outgoing.ResetWrittenCount();

    /// <summary>Starts a <c>-L</c> listener; false (reported) when the address cannot be bound.</summary>
    public bool Listen(ForwardSpec spec)
    {
        if (Bind(spec.BindAddress, spec.Port, out string error) is not { } socket)
        {
            _report($"cannot listen on {ForwardSpec.FormatTarget(spec.BindAddress, spec.Port)} for forwarding: {error}");
            return false;
        }

        _listeners.Add(new StreamListener(socket, spec.Target, 0, persistent: false));
        return true;
    }

    /// <summary>
    /// Client: asks the server to listen (<paramref name="request"/>: "bind_address:port", or <see cref="AgentRequest"/>)
    /// and to carry each connection to us, where we connect to <paramref name="target"/>. Call once streams are enabled.
    /// </summary>
    public void RequestRemote(uint number, string request, ForwardTarget target)
    {
        _remote[number] = (request, target);
        Emit(new StreamFrame(number, StreamFrameKind.Listen, Encoding.UTF8.GetBytes(request)));
    }

    /// <summary>Client: tells the server its <see cref="RequestRemote"/> calls are all made (once, after the last).</summary>
    public void EndRequests() => Emit(new StreamFrame(1, StreamFrameKind.ListenEnd));

    /// <summary>
    /// Server: the current client will not ask for the agent (it announced no streams, or is upstream's): agent
    /// connections waiting for it are closed, and later ones at once, until the next client (<see cref="ResetAll"/>).
    /// </summary>
    public void DeclineAgent()
    {
        _agentDeclined = true;
        CloseAgentWaiting(long.MaxValue);
    }

    /// <summary>
    /// Server: the session's agent socket, listening already. It outlives clients; its connections are carried only
    /// to a client that asked for the agent (<see cref="AgentRequest"/>). One made before the current client has
    /// said whether it asks (its Listen frames, or <see cref="DeclineAgent"/>) waits for that, at most
    /// <see cref="AgentWaitMs"/>; otherwise it is closed at once.
    /// </summary>
    public void AddAgentListener(Socket socket)
    {
        socket.Blocking = false;
        _listeners.Add(new StreamListener(socket, AgentRequest, 0, persistent: true));
    }

    /// <summary>A listening TCP socket, or null and why not.</summary>
    private static Socket? Bind(string bindAddress, int port, out string error)
    {
        Socket? socket = null;
        try
        {
            IPAddress address = IPAddress.Parse(bindAddress);
            socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(new IPEndPoint(address, port));
            socket.Listen(64);
            socket.Blocking = false;
            error = string.Empty;
            return socket;
        }
        catch (Exception e) when (e is SocketException or FormatException)
        {
            socket?.Dispose();
            error = e.Message;
            return null;
        }
    }

    /// <summary>Closes the listeners (forwarding cannot work with this peer).</summary>
    public void StopListening()
    {
        foreach (StreamListener listener in _listeners)
        {
            listener.Dispose();
        }

        _listeners.Clear();
    }

    /// <summary>
    /// Resets every stream and closes the listeners the client asked for (a new client took over the session: its
    /// streams and listeners start afresh). The agent socket stays, serving no one until a client asks again.
    /// </summary>
    public void ResetAll()
    {
        foreach (ForwardedStream stream in _streams.Values)
        {
            stream.Dispose();
        }

        _streams.Clear();
        _outgoing.ResetWrittenCount();
        _remote.Clear();
        _agentDeclined = false; // the next client has not said yet; waiting agent connections wait for it
        RequestsEnded = false;
        if (_isClient)
        {
            return; // the client's -L listeners are its user's, not the session's
        }

        for (int i = _listeners.Count - 1; i >= 0; i--)
        {
            if (_listeners[i].Persistent)
            {
                _listeners[i].Number = 0;
            }
            else
            {
                _listeners[i].Dispose();
                _listeners.RemoveAt(i);
            }
        }
    }

    /// <summary>
    /// Gives up on every open stream, telling the peer (a Reset frame each) and closing the local sockets: what the
    /// peer sent them has a hole (entries of its log never arrived), so no byte stream can go on intact.
    /// Listeners stay: new connections start clean.
    /// </summary>
    public void ResetStreams(string reason)
    {
        if (_streams.Count == 0)
        {
            return;
        }

        foreach (ForwardedStream stream in new List<ForwardedStream>(_streams.Values))
        {
            Reset(stream, reason);
        }
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
        foreach (StreamListener listener in _listeners)
        {
            // Without streams only the agent socket is watched, so its connections are closed, not left hanging.
            if (!Enabled && !listener.Persistent)
            {
                continue;
            }

            bool accept = _streams.Count < MaxStreams && !(listener.Persistent && _agentWaiting.Count >= MaxAgentWaiting);
            descriptors[start + count++] = new PollDescriptor(accept ? (int)listener.Socket.Handle : -1, PollEvents.Readable);
            _pollOwners.Add(listener);
        }

        if (!Enabled)
        {
            return count;
        }

        if (_resolverWake is { } wake)
        {
            descriptors[start + count++] = new PollDescriptor(wake.Fd, PollEvents.Readable); // readable only when a lookup ended
            _pollOwners.Add(wake);
        }

        foreach (ForwardedStream stream in _streams.Values)
        {
            if (stream.Resolution is not null)
            {
                descriptors[start + count++] = new PollDescriptor(-1, PollEvents.None); // no socket until resolved
                _pollOwners.Add(stream);
                continue;
            }

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
        CloseAgentWaiting(_clock.NowMilliseconds - AgentWaitMs);
        for (int i = 0; i < returned.Length && i < _pollOwners.Count; i++)
        {
            PollEvents events = returned[i].ReturnedEvents;
            if (events == PollEvents.None)
            {
                continue;
            }

            if (_pollOwners[i] is StreamListener listener)
            {
                Accept(listener);
                continue;
            }

            if (_pollOwners[i] is WakePipe wake)
            {
                wake.Drain();
                FinishResolutions();
                continue;
            }

            var stream = (ForwardedStream)_pollOwners[i];
            if (!_streams.ContainsKey(stream.Id) || stream.Resolution is not null)
            {
                continue; // reset meanwhile, or connected by FinishResolutions in this very pass
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
            Open(frame);
            return;
        }

        if (frame.Kind == StreamFrameKind.ListenEnd)
        {
            RequestsEnded = true;
            if (!_isClient && !AgentMapped)
            {
                DeclineAgent(); // the client's requests are all in, and the agent was not among them
            }

            return;
        }

        if (frame.Kind == StreamFrameKind.Listen)
        {
            if (_isClient)
            {
                ListenAnswered(frame.Id, frame.Data);
            }
            else
            {
                string? problem = ServeListenRequest(frame.Id, Encoding.UTF8.GetString(frame.Data));
                Emit(new StreamFrame(frame.Id, StreamFrameKind.Listen, problem is null ? default : Encoding.UTF8.GetBytes(problem)));
            }

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
                if (_isClient && stream.OpenedHere && !stream.HeardData && !frame.Data.IsEmpty)
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

    /// <summary>
    /// The peer opened a stream. The server connects to the target the frame names; the client only to the target of
    /// one of its own listener requests, which the frame names by number (a server cannot make it connect elsewhere).
    /// </summary>
    private void Open(StreamFrame frame)
    {
        uint id = frame.Id;
        bool peerParity = _isClient ? id % 2 == 0 : id % 2 == 1;
        if (_streams.ContainsKey(id) || !peerParity)
        {
            return; // a duplicate or an id the peer may not choose: dropped
        }

        if (_streams.Count >= MaxStreams)
        {
            Emit(new StreamFrame(id, StreamFrameKind.Reset, "too many forwarded connections"u8));
            return;
        }

        if (_isClient)
        {
            if (frame.Value is 0 or > uint.MaxValue || !_remote.TryGetValue((uint)frame.Value, out var remote))
            {
                Emit(new StreamFrame(id, StreamFrameKind.Reset, "the client did not ask for this forwarding"u8));
                return;
            }

            Connect(id, remote.Target);
            return;
        }

        string target = Encoding.UTF8.GetString(frame.Data);
        if (!ForwardSpec.TryParseTarget(target, out string host, out int port))
        {
            Emit(new StreamFrame(id, StreamFrameKind.Reset, Encoding.UTF8.GetBytes($"bad target '{target}'")));
            return;
        }

        Connect(id, new ForwardTarget(host, port));
    }

    /// <summary>Starts connecting a stream's local socket; a failure resets the stream (and the client tells its user).</summary>
    private void Connect(uint id, ForwardTarget target)
    {
        Socket? socket = null;
        try
        {
            bool connecting = false;
            if (target.UnixPath is { } path)
            {
                // A local socket answers at once; connected blocking, then served non-blocking like the rest.
                socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                socket.Connect(new UnixDomainSocketEndPoint(path));
                socket.Blocking = false;
            }
            else if (IPAddress.TryParse(target.Host, out IPAddress? literal))
            {
                socket = StartConnect(literal, target.Port, out connecting);
            }
            else
            {
                // Looked up on the thread pool: the loop goes on and connects once the lookup wakes it.
                _resolverWake ??= new WakePipe();
                WakePipe wake = _resolverWake;
                Task<IPAddress[]> lookup = Dns.GetHostAddressesAsync(target.Host);
                _ = lookup.ContinueWith(_ => wake.Signal(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously,
                    TaskScheduler.Default);
                _streams.Add(id, new ForwardedStream(id, lookup, target.Port, target.Description));
                return;
            }

            _streams.Add(id, new ForwardedStream(id, socket, target.Description, connecting));
        }
        catch (Exception e) when (e is SocketException or ArgumentException or IndexOutOfRangeException)
        {
            socket?.Dispose();
            ConnectFailed(id, target.Description, e.Message);
        }
    }

    /// <summary>A non-blocking TCP connect to <paramref name="address"/>; <paramref name="connecting"/> while it runs.</summary>
    private static Socket StartConnect(IPAddress address, int port, out bool connecting)
    {
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { Blocking = false, NoDelay = true };
        connecting = false;
        try
        {
            socket.Connect(new IPEndPoint(address, port));
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress)
        {
            connecting = true;
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return socket;
    }

    /// <summary>Connects every stream whose name lookup has finished, or resets it when the name did not resolve.</summary>
    private void FinishResolutions()
    {
        foreach (ForwardedStream stream in _streams.Values)
        {
            if (stream.Resolution is not { IsCompleted: true } lookup)
            {
                continue;
            }

            try
            {
                IPAddress[] addresses = lookup.GetAwaiter().GetResult();
                if (addresses.Length == 0)
                {
                    throw new SocketException((int)SocketError.HostNotFound);
                }

                stream.Attach(StartConnect(addresses[0], stream.ResolvedPort, out bool connecting));
                stream.Connecting = connecting;
                if (!connecting)
                {
                    Flush(stream);
                }
            }
            catch (Exception e) when (e is SocketException or ArgumentException or OperationCanceledException)
            {
                stream.EndResolution(); // no socket to close: the stream goes with its reset
                ConnectFailed(stream.Id, stream.Target, e.Message);
                _finished.Add(stream.Id);
            }
        }
    }

    private void ConnectFailed(uint id, string target, string message)
    {
        string reason = $"connect to {target} failed: {message}";
        Emit(new StreamFrame(id, StreamFrameKind.Reset, Encoding.UTF8.GetBytes(reason)));
        if (_isClient)
        {
            _report("forwarding from the server: " + reason); // the server's user is far away; ours is here
        }
    }

    /// <summary>Server: a client's Listen frame; returns why it cannot be served, or null when it is.</summary>
    private string? ServeListenRequest(uint number, string request)
    {
        foreach (StreamListener existing in _listeners)
        {
            if (existing.Number == number)
            {
                return $"listener number {number} is in use already";
            }
        }

        if (request == AgentRequest)
        {
            foreach (StreamListener listener in _listeners)
            {
                if (listener.Persistent)
                {
                    listener.Number = number;
                    ReleaseAgentWaiting(listener);
                    return null;
                }
            }

            return "this session has no agent socket (it was started without mosh-server new -A)";
        }

        if (_listeners.Count >= MaxRemoteListeners)
        {
            return "too many listeners";
        }

        if (!ForwardSpec.TryParseTarget(request, out string bindAddress, out int port))
        {
            return $"bad listen address '{request}'";
        }

        if (Bind(bindAddress, port, out string error) is not { } socket)
        {
            return $"cannot listen on {request} on the server: {error}";
        }

        _listeners.Add(new StreamListener(socket, request, number, persistent: false));
        return null;
    }

    /// <summary>Client: the server's answer to a Listen frame; a refusal is told to the user once.</summary>
    private void ListenAnswered(uint number, ReadOnlySpan<byte> problem)
    {
        if (problem.IsEmpty || !_remote.TryGetValue(number, out var remote))
        {
            return;
        }

        string what = remote.Request == AgentRequest ? "agent forwarding" : $"remote forwarding to {remote.Target.Description}";
        _report($"{what}: {Encoding.UTF8.GetString(problem)}");
    }

    private void FinishConnect(ForwardedStream stream)
    {
        var error = (SocketError)(int)stream.Socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error)!;
        if (error != SocketError.Success)
        {
            ConnectFailed(stream.Id, stream.Target, new SocketException((int)error).Message);
            Drop(stream);
            return;
        }

        stream.Connecting = false;
        Flush(stream);
    }

    private void Accept(StreamListener listener)
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

        // The server carries a connection only for a listener the current client asked for; an agent connection
        // waits while the client may still ask.
        if (!_isClient && listener.Persistent && listener.Number == 0 && !_agentDeclined && _agentWaiting.Count < MaxAgentWaiting)
        {
            _agentWaiting.Add((socket, _clock.NowMilliseconds));
            return;
        }

        if (_streams.Count >= MaxStreams || !Enabled || (!_isClient && listener.Number == 0))
        {
            socket.Dispose();
            return;
        }

        Carry(listener, socket);
    }

    /// <summary>Server: whether the current client asked for the agent.</summary>
    private bool AgentMapped
    {
        get
        {
            foreach (StreamListener listener in _listeners)
            {
                if (listener.Persistent && listener.Number != 0)
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>The client asked for the agent: the connections that waited for it become streams, oldest first.</summary>
    private void ReleaseAgentWaiting(StreamListener listener)
    {
        foreach ((Socket socket, _) in _agentWaiting)
        {
            if (_streams.Count < MaxStreams)
            {
                Carry(listener, socket);
            }
            else
            {
                socket.Dispose();
            }
        }

        _agentWaiting.Clear();
    }

    /// <summary>Closes the waiting agent connections accepted at or before <paramref name="before"/>.</summary>
    private void CloseAgentWaiting(long before)
    {
        int closed = 0;
        while (closed < _agentWaiting.Count && _agentWaiting[closed].Since <= before)
        {
            _agentWaiting[closed++].Socket.Dispose();
        }

        _agentWaiting.RemoveRange(0, closed);
    }

    /// <summary>Opens a stream for an accepted connection and tells the peer.</summary>
    private void Carry(StreamListener listener, Socket socket)
    {
        socket.Blocking = false;
        if (socket.ProtocolType == ProtocolType.Tcp)
        {
            socket.NoDelay = true;
        }

        uint id = NextId();
        var stream = new ForwardedStream(id, socket, listener.Target, connecting: false) { OpenedHere = true };
        _streams.Add(id, stream);
        Emit(_isClient
            ? new StreamFrame(id, StreamFrameKind.Open, Encoding.UTF8.GetBytes(stream.Target))
            : new StreamFrame(id, StreamFrameKind.Open, value: listener.Number));
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
        int room = (int)Math.Min((ulong)Math.Min(OutgoingRoom, Math.Clamp(ReadLimit, 1, ReadChunk)), Window - (stream.Sent - stream.PeerConsumed));
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
        CloseAgentWaiting(long.MaxValue);
    }
}
