using Mosh.Util;

namespace Mosh.Forwarding;

/// <summary>
/// Wakes the event loop when a name lookup finishes on the thread pool: a non-blocking pipe whose read end the
/// loop polls while lookups run, so resolving a forwarding target never blocks the loop (a slow DNS server would
/// otherwise freeze the terminal for as long as it takes).
/// </summary>
internal sealed unsafe class ResolverWake : IDisposable
{
    private readonly int _read;
    private readonly int _write;
    private readonly Lock _gate = new();
    private bool _disposed;

    public ResolverWake()
    {
        int* fds = stackalloc int[2];
        if (LibC.Pipe2(fds, LibC.O_NONBLOCK | LibC.O_CLOEXEC) != 0)
        {
            throw LibC.LastError("pipe2");
        }

        _read = fds[0];
        _write = fds[1];
    }

    /// <summary>Readable once a lookup finished since the last <see cref="Drain"/>.</summary>
    public int Fd => _read;

    /// <summary>Called from the lookup's continuation (any thread).</summary>
    public void Signal()
    {
        lock (_gate) // never write to a descriptor number Dispose has closed (and the process may have reused)
        {
            if (!_disposed)
            {
                byte one = 1;
                _ = LibC.Write(_write, &one, 1); // a full pipe already wakes the loop
            }
        }
    }

    public void Drain()
    {
        byte* scratch = stackalloc byte[64];
        while (LibC.Read(_read, scratch, 64) > 0)
        {
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (!_disposed)
            {
                _disposed = true;
                _ = LibC.Close(_read);
                _ = LibC.Close(_write);
            }
        }
    }
}
