using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Mosh.EndToEnd.Harness;

/// <summary>Sees every datagram as it arrives at the relay, before impairments: its direction and bytes.
/// Runs on the relay thread; an exception is recorded in <see cref="UdpRelay.InspectorFailures"/>.</summary>
internal delegate void RelayInspector(RelayDirection direction, ReadOnlySpan<byte> datagram);

/// <summary>
/// A user-space UDP relay between a client and a server on 127.0.0.1 or ::1 (the kernel here has no netem). The client
/// talks to <see cref="Port"/>; the relay forwards to the server from its own server-facing socket and sends the
/// replies back to wherever the client last spoke from. Per direction it delays, jitters, drops, duplicates and
/// reorders (<see cref="RelayImpairment"/>, changeable at run time); it can black out all traffic, and it roams:
/// switching to a new server-facing socket makes the server see the client move to a new source port. One thread
/// does everything: it waits on all sockets with a deadline taken from a priority queue of delayed datagrams.
/// Randomness is seeded per direction, so a run's impairment pattern repeats for the same traffic.
/// </summary>
internal sealed class UdpRelay : IDisposable
{
    private const int MaxDatagram = 65536;
    private const int MaxRetiredSockets = 8;

    private readonly Socket clientFacing;
    private readonly Socket wake;
    private readonly IPEndPoint wakeEndPoint;
    private readonly IPEndPoint serverEndPoint;
    private readonly Random[] randoms;
    private readonly Thread thread;
    private readonly PriorityQueue<Pending, (long Due, long Order)> queue = new();
    private readonly ConcurrentQueue<Action> commands = new();
    private readonly List<Socket> retired = [];
    private readonly HashSet<int> answeredPorts = [];
    private readonly HashSet<int> clientPorts = [];
    private readonly IPAddress loopback;
    private readonly IPEndPoint anyEndPoint;
    private readonly ConcurrentQueue<Exception> inspectorFailures = new();
    private readonly byte[] buffer = new byte[MaxDatagram];
    private readonly long[] nextArrival = new long[2];
    private readonly long[] newestDelivered = [-1, -1];
    private Socket serverFacing;
    private IPEndPoint? clientEndPoint;
    private volatile RelayImpairment toServer = RelayImpairment.None;
    private volatile RelayImpairment toClient = RelayImpairment.None;
    private volatile bool blackout;
    private long blackoutUntil;
    private long roamIntervalTicks;
    private long nextRoam = long.MaxValue;
    private long order;
    private int roams;
    private int serverFacingPort;
    private volatile bool stopping;
    private Exception? loopFailure;

    private UdpRelay(int serverPort, int seed, IPAddress loopback)
    {
        this.loopback = loopback;
        anyEndPoint = new IPEndPoint(loopback, 0);
        serverEndPoint = new IPEndPoint(loopback, serverPort);
        // One generator per direction: a direction's impairment pattern depends only on its own traffic.
        randoms = [new Random(seed), new Random(seed + 1)];
        clientFacing = NewSocket();
        serverFacing = NewSocket();
        serverFacingPort = LocalPort(serverFacing);
        wake = NewSocket();
        wakeEndPoint = (IPEndPoint)wake.LocalEndPoint!;
        thread = new Thread(Loop) { IsBackground = true, Name = "UdpRelay" };
    }

    /// <summary>Starts a relay in front of the UDP server at <paramref name="loopback"/> (127.0.0.1 unless given,
    /// e.g. ::1):<paramref name="serverPort"/>; the relay's own sockets use the same address. Its sockets belong to
    /// the calling thread's network namespace.</summary>
    public static UdpRelay Start(int serverPort, int seed = 20240601, IPAddress? loopback = null)
    {
        var relay = new UdpRelay(serverPort, seed, loopback ?? IPAddress.Loopback);
        relay.thread.Start();
        return relay;
    }

    /// <summary>The port clients send to.</summary>
    public int Port => LocalPort(clientFacing);

    public int ServerPort => serverEndPoint.Port;

    /// <summary>The relay's current source port toward the server (changes on each roam).</summary>
    public int ServerFacingPort => Volatile.Read(ref serverFacingPort);

    public RelayImpairment ToServer
    {
        get => toServer;
        set => toServer = value;
    }

    public RelayImpairment ToClient
    {
        get => toClient;
        set => toClient = value;
    }

    /// <summary>Applies the same impairment both ways.</summary>
    public void Impair(RelayImpairment impairment)
    {
        toServer = impairment;
        toClient = impairment;
    }

    public RelayCounters ToServerCounters { get; } = new();

    public RelayCounters ToClientCounters { get; } = new();

    public RelayCounters Counters(RelayDirection direction) =>
        direction == RelayDirection.ToServer ? ToServerCounters : ToClientCounters;

    /// <summary>While on, every datagram in both directions is dropped, including ones already delayed.</summary>
    public bool Blackout
    {
        get => blackout || Stopwatch.GetTimestamp() < Interlocked.Read(ref blackoutUntil);
        set
        {
            blackout = value;
            if (!value)
            {
                Interlocked.Exchange(ref blackoutUntil, 0);
            }
        }
    }

    /// <summary>Blacks out for <paramref name="duration"/> from now, then recovers by itself.</summary>
    public void BlackoutFor(TimeSpan duration) =>
        Interlocked.Exchange(ref blackoutUntil, Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency));

    /// <summary>Roams to a new server-facing socket every interval (null: only on demand).</summary>
    public TimeSpan? RoamInterval
    {
        get
        {
            long ticks = Interlocked.Read(ref roamIntervalTicks);
            return ticks == 0 ? null : TimeSpan.FromSeconds((double)ticks / Stopwatch.Frequency);
        }
        set
        {
            Interlocked.Exchange(ref roamIntervalTicks, value is null ? 0 : (long)(value.Value.TotalSeconds * Stopwatch.Frequency));
            Enqueue(() => nextRoam = roamIntervalTicks == 0 ? long.MaxValue : Stopwatch.GetTimestamp() + roamIntervalTicks);
        }
    }

    /// <summary>How many times the relay switched its server-facing socket.</summary>
    public int Roams => Volatile.Read(ref roams);

    /// <summary>How many distinct server-facing sockets the server has answered: above 1 means the server
    /// followed the client's roaming.</summary>
    public int ServerFacingPortsAnswered
    {
        get
        {
            lock (answeredPorts)
            {
                return answeredPorts.Count;
            }
        }
    }

    /// <summary>How many distinct source ports the client has sent from: above 1 means the client hopped ports
    /// (as mosh-client does after 10 s without a round trip) and the relay followed it.</summary>
    public int ClientPortsSeen
    {
        get
        {
            lock (clientPorts)
            {
                return clientPorts.Count;
            }
        }
    }

    /// <summary>Called for every datagram arriving from either side.</summary>
    public RelayInspector? Inspector { get; set; }

    public IReadOnlyCollection<Exception> InspectorFailures => inspectorFailures;

    /// <summary>Switches to a new server-facing socket now; completes with its port. The old socket keeps
    /// receiving, so server replies sent before the server noticed the move still arrive.</summary>
    public Task<int> RoamAsync()
    {
        var done = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        Enqueue(() => done.SetResult(SwitchServerFacingSocket()));
        return done.Task;
    }

    /// <summary>Sends <paramref name="datagram"/> to one side as if it came from the other (toward the server from
    /// the current server-facing socket; toward the client from the relay's port, once the client has spoken).
    /// No impairment applies; it is counted as Injected and Delivered.</summary>
    public Task InjectAsync(RelayDirection direction, ReadOnlySpan<byte> datagram)
    {
        byte[] copy = datagram.ToArray();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Enqueue(() =>
        {
            try
            {
                Counters(direction).CountInjected();
                Send(direction, copy, copy.Length);
                done.SetResult();
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        });
        return done.Task;
    }

    private void Enqueue(Action command)
    {
        commands.Enqueue(command);
        if (!stopping)
        {
            wake.SendTo([1], wakeEndPoint);
        }
    }

    private void Loop()
    {
        try
        {
            var readable = new List<Socket>();
            while (!stopping)
            {
                while (commands.TryDequeue(out Action? command))
                {
                    command();
                }
                long now = Stopwatch.GetTimestamp();
                if (now >= nextRoam)
                {
                    SwitchServerFacingSocket();
                    nextRoam = now + Interlocked.Read(ref roamIntervalTicks);
                }
                DeliverDue(now);

                long deadline = Math.Min(nextRoam, queue.TryPeek(out _, out var head) ? head.Due : long.MaxValue);
                long waitMicros = deadline == long.MaxValue
                    ? 100_000
                    : Math.Clamp((deadline - now) * 1_000_000 / Stopwatch.Frequency, 0, 100_000);

                readable.Clear();
                readable.Add(wake);
                readable.Add(clientFacing);
                readable.Add(serverFacing);
                readable.AddRange(retired);
                if (waitMicros > 0)
                {
                    Socket.Select(readable, null, null, (int)waitMicros);
                }
                foreach (Socket socket in readable)
                {
                    Drain(socket);
                }
            }
        }
        catch (Exception e) when (!stopping)
        {
            loopFailure = e;
        }
    }

    private void Drain(Socket socket)
    {
        while (true)
        {
            EndPoint from = anyEndPoint;
            int length;
            try
            {
                if (socket.Available == 0 && !socket.Poll(0, SelectMode.SelectRead))
                {
                    return;
                }
                length = socket.ReceiveFrom(buffer, SocketFlags.None, ref from);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.WouldBlock)
            {
                return;
            }
            catch (SocketException)
            {
                // ICMP errors (peer port closed) surface here; the socket stays usable.
                continue;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            var source = (IPEndPoint)from;
            if (socket == wake)
            {
                continue;
            }
            if (socket == clientFacing)
            {
                clientEndPoint = source;
                lock (clientPorts)
                {
                    clientPorts.Add(source.Port);
                }
                Arrive(RelayDirection.ToServer, length);
            }
            else if (source.Equals(serverEndPoint))
            {
                lock (answeredPorts)
                {
                    answeredPorts.Add(LocalPort(socket));
                }
                Arrive(RelayDirection.ToClient, length);
            }
        }
    }

    private void Arrive(RelayDirection direction, int length)
    {
        RelayCounters counters = Counters(direction);
        counters.CountReceived();
        ReadOnlySpan<byte> datagram = buffer.AsSpan(0, length);
        try
        {
            Inspector?.Invoke(direction, datagram);
        }
        catch (Exception e)
        {
            inspectorFailures.Enqueue(e);
        }
        if (Blackout)
        {
            counters.CountBlackedOut();
            return;
        }
        RelayImpairment impairment = direction == RelayDirection.ToServer ? toServer : toClient;
        Random random = randoms[(int)direction];
        if (impairment.LossProbability > 0 && random.NextDouble() < impairment.LossProbability)
        {
            counters.CountDropped();
            return;
        }
        long arrival = nextArrival[(int)direction]++;
        double delay = impairment.DelayMs + (impairment.JitterMs > 0 ? random.NextDouble() * impairment.JitterMs : 0);
        if (impairment.ReorderProbability > 0 && random.NextDouble() < impairment.ReorderProbability)
        {
            delay += impairment.ReorderHoldMs;
        }
        byte[] data = datagram.ToArray();
        Schedule(new Pending(direction, data, arrival, IsDuplicate: false), delay);
        if (impairment.DuplicateProbability > 0 && random.NextDouble() < impairment.DuplicateProbability)
        {
            counters.CountDuplicated();
            double copyDelay = impairment.DelayMs + (impairment.JitterMs > 0 ? random.NextDouble() * impairment.JitterMs : 0);
            Schedule(new Pending(direction, data, arrival, IsDuplicate: true), copyDelay);
        }
    }

    private void Schedule(Pending pending, double delayMs)
    {
        if (delayMs <= 0)
        {
            Deliver(pending);
            return;
        }
        long due = Stopwatch.GetTimestamp() + (long)(delayMs * Stopwatch.Frequency / 1000);
        queue.Enqueue(pending, (due, order++));
    }

    private void DeliverDue(long now)
    {
        while (queue.TryPeek(out Pending? pending, out var priority) && priority.Due <= now)
        {
            queue.Dequeue();
            Deliver(pending);
        }
    }

    private void Deliver(Pending pending)
    {
        RelayCounters counters = Counters(pending.Direction);
        if (Blackout)
        {
            counters.CountBlackedOut();
            return;
        }
        int index = (int)pending.Direction;
        if (!pending.IsDuplicate)
        {
            if (pending.Arrival < newestDelivered[index])
            {
                counters.CountReordered();
            }
            else
            {
                newestDelivered[index] = pending.Arrival;
            }
        }
        Send(pending.Direction, pending.Data, pending.Data.Length);
    }

    private void Send(RelayDirection direction, byte[] data, int length)
    {
        try
        {
            if (direction == RelayDirection.ToServer)
            {
                serverFacing.SendTo(data, 0, length, SocketFlags.None, serverEndPoint);
            }
            else if (clientEndPoint is not null)
            {
                clientFacing.SendTo(data, 0, length, SocketFlags.None, clientEndPoint);
            }
            else
            {
                throw new InvalidOperationException("The client has not spoken yet; nowhere to send.");
            }
            Counters(direction).CountDelivered();
        }
        catch (SocketException)
        {
            // The receiver's port is gone (ICMP); a real network would drop the datagram too.
        }
    }

    private int SwitchServerFacingSocket()
    {
        retired.Add(serverFacing);
        if (retired.Count > MaxRetiredSockets)
        {
            retired[0].Dispose();
            retired.RemoveAt(0);
        }
        serverFacing = NewSocket();
        int port = LocalPort(serverFacing);
        Volatile.Write(ref serverFacingPort, port);
        Interlocked.Increment(ref roams);
        return port;
    }

    private Socket NewSocket()
    {
        // A large receive buffer so bursts wait in the kernel instead of being lost while the thread is busy.
        var socket = new Socket(loopback.AddressFamily, SocketType.Dgram, ProtocolType.Udp) { Blocking = false, ReceiveBufferSize = 1 << 20 };
        socket.Bind(new IPEndPoint(loopback, 0));
        return socket;
    }

    private static int LocalPort(Socket socket) => ((IPEndPoint)socket.LocalEndPoint!).Port;

    /// <summary>Throws if the relay thread died (a harness bug, not a test result).</summary>
    public void ThrowIfFailed()
    {
        if (loopFailure is not null)
        {
            throw new InvalidOperationException("The UDP relay thread failed.", loopFailure);
        }
    }

    public override string ToString() =>
        $"to server: {ToServerCounters}; to client: {ToClientCounters}; roams {Roams}, server answered {ServerFacingPortsAnswered} relay ports"
        + (loopFailure is null ? "" : $"; RELAY THREAD FAILED: {loopFailure}");

    public void Dispose()
    {
        stopping = true;
        try
        {
            wake.SendTo([1], wakeEndPoint);
        }
        catch (SocketException)
        {
        }
        thread.Join(TimeSpan.FromSeconds(5));
        clientFacing.Dispose();
        serverFacing.Dispose();
        foreach (Socket socket in retired)
        {
            socket.Dispose();
        }
        wake.Dispose();
    }

    private sealed record Pending(RelayDirection Direction, byte[] Data, long Arrival, bool IsDuplicate);
}
