using System.Runtime.InteropServices;

namespace Mosh.Util;

/// <summary>poll(2) event bits.</summary>
[Flags]
internal enum PollEvents : short
{
    None = 0,
    Readable = 0x1,
    Priority = 0x2,
    Writable = 0x4,
    Error = 0x8,
    HangUp = 0x10,
    InvalidDescriptor = 0x20,
}

/// <summary>One entry of a poll(2) set, laid out as <c>struct pollfd</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct PollDescriptor(int fd, PollEvents events)
{
    public int Fd = fd;
    public PollEvents Events = events;
    public PollEvents ReturnedEvents;

    /// <summary>Readable, or at end (hang-up or error), so a read will not block.</summary>
    public readonly bool IsReadReady => (ReturnedEvents & (PollEvents.Readable | PollEvents.HangUp | PollEvents.Error)) != 0;
}

/// <summary>Waits on several descriptors at once (UDP sockets, the pty master, stdin) without allocating.</summary>
internal static unsafe class Poll
{
    /// <summary>
    /// Waits until a descriptor is ready or <paramref name="timeoutMilliseconds"/> pass (-1: forever). Returns the
    /// number of ready descriptors, 0 on timeout or when a signal interrupted the wait (the caller's loop simply
    /// polls again after looking at its signal flags).
    /// </summary>
    public static int Wait(Span<PollDescriptor> descriptors, int timeoutMilliseconds)
    {
        foreach (ref PollDescriptor descriptor in descriptors)
        {
            descriptor.ReturnedEvents = PollEvents.None;
        }

        fixed (PollDescriptor* pointer = descriptors)
        {
            int ready = LibC.Poll(pointer, (nuint)descriptors.Length, timeoutMilliseconds);
            if (ready >= 0)
            {
                return ready;
            }
        }

        return Marshal.GetLastPInvokeError() == LibC.EINTR ? 0 : throw LibC.LastError("poll");
    }

    /// <summary>Sleeps about <paramref name="microseconds"/> (plus the kernel's timer slack); a signal ends it early.</summary>
    public static void Pause(int microseconds) => _ = LibC.USleep((uint)microseconds);
}
