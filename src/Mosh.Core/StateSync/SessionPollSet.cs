using System.Net.Sockets;
using Mosh.Network;
using Mosh.Util;

namespace Mosh.StateSync;

/// <summary>
/// The poll set of a session's event loop, laid out alike in mosh-client and mosh-server: slot 0 the signal pipe,
/// then the connection's sockets, then whatever else the program waits on (the user's terminal, the pty, the control
/// socket, forwarded streams). It is rebuilt every turn in one array that grows only when a turn needs more slots
/// than any before, so a turn allocates nothing.
/// </summary>
internal sealed class SessionPollSet
{
    public const int SignalSlot = 0;

    private const int FirstSocketSlot = 1;

    /// <summary>Sockets polled at most: a client's current one and the old ones it keeps a while after roaming.</summary>
    private const int MaxSockets = Connection.MAX_PORTS_OPEN + 1;

    private readonly bool _limitBusyPolls;
    private readonly Action<string>? _pollTrace;
    private PollDescriptor[] _slots = new PollDescriptor[FirstSocketSlot + MaxSockets + 4];
    private PollRateLimiter _limiter;
    private int _count;
    private int _socketsEnd;

    /// <param name="limitBusyPolls">Stretch runs of zero-timeout waits to 1 ms (upstream's select guard, the server's).</param>
    /// <param name="pollTrace">With <paramref name="limitBusyPolls"/>, where upstream's -v -v poll trace goes; null for none.</param>
    public SessionPollSet(bool limitBusyPolls = false, Action<string>? pollTrace = null)
    {
        _limitBusyPolls = limitBusyPolls;
        _pollTrace = pollTrace;
    }

    /// <summary>Slots in this turn's set.</summary>
    public int Count => _count;

    /// <summary>Whether the signal pipe woke the wait.</summary>
    public bool SignalsReady => _slots[SignalSlot].IsReadReady;

    /// <summary>Whether any of the connection's sockets has something to read.</summary>
    public bool NetworkReady
    {
        get
        {
            for (int i = FirstSocketSlot; i < _socketsEnd; i++)
            {
                if (_slots[i].IsReadReady)
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>Starts this turn's set: the signal pipe, then the sockets.</summary>
    public void Begin(int signalFd, IReadOnlyList<Socket> sockets)
    {
        _slots[SignalSlot] = new PollDescriptor(signalFd, PollEvents.Readable);
        _count = FirstSocketSlot;
        for (int i = 0; i < sockets.Count && i < MaxSockets; i++) // by index: a foreach would box the enumerator
        {
            _slots[_count++] = new PollDescriptor((int)sockets[i].Handle, PollEvents.Readable);
        }

        _socketsEnd = _count;
    }

    /// <summary>Adds a descriptor (a negative one is skipped by poll: not waited on this turn); returns its slot.</summary>
    public int Add(int fd, PollEvents events)
    {
        EnsureRoom(1);
        _slots[_count] = new PollDescriptor(fd, events);
        return _count++;
    }

    /// <summary>Room for up to <paramref name="maxCount"/> more descriptors, written from its start; then <see cref="Added"/>.</summary>
    public Span<PollDescriptor> Room(int maxCount)
    {
        EnsureRoom(maxCount);
        return _slots.AsSpan(_count, maxCount);
    }

    /// <summary>Takes the first <paramref name="count"/> descriptors written into <see cref="Room"/> into the set; returns the first's slot.</summary>
    public int Added(int count)
    {
        int first = _count;
        _count += count;
        return first;
    }

    /// <summary>Whether the descriptor in <paramref name="slot"/> (negative: none this turn) can be read without blocking.</summary>
    public bool IsReadReady(int slot) => slot >= 0 && _slots[slot].IsReadReady;

    /// <summary>What poll returned for <paramref name="count"/> slots from <paramref name="first"/>.</summary>
    public ReadOnlySpan<PollDescriptor> Slots(int first, int count) => _slots.AsSpan(first, count);

    /// <summary>Waits at most <paramref name="timeoutMs"/> (clamped to 0..int.MaxValue) for any descriptor of the set.</summary>
    public int Wait(long timeoutMs)
    {
        int timeout = (int)Math.Clamp(timeoutMs, 0, int.MaxValue);
        if (_limitBusyPolls)
        {
            timeout = _limiter.Adjust(timeout, _pollTrace);
        }

        return Poll.Wait(_slots.AsSpan(0, _count), timeout);
    }

    private void EnsureRoom(int more)
    {
        if (_count + more > _slots.Length)
        {
            Array.Resize(ref _slots, Math.Max(_slots.Length * 2, _count + more));
        }
    }
}
