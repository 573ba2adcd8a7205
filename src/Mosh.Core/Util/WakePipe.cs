namespace Mosh.Util;

/// <summary>
/// Wakes a poll loop from another thread (a signal handler, a finished name lookup, a control connection): a
/// non-blocking self-pipe whose read end the loop polls; any thread may <see cref="Signal"/>, the loop
/// <see cref="Drain"/>s after it woke.
/// </summary>
internal sealed unsafe class WakePipe : IDisposable
{
    private readonly int _read;
    private readonly int _write;
    private readonly Lock _gate = new();
    private bool _disposed;

    public WakePipe()
    {
        int* fds = stackalloc int[2];
        if (LibC.Pipe2(fds, LibC.O_NONBLOCK | LibC.O_CLOEXEC) != 0)
        {
            throw LibC.LastError("pipe2");
        }

        _read = fds[0];
        _write = fds[1];
    }

    /// <summary>Readable once <see cref="Signal"/> was called since the last <see cref="Drain"/>.</summary>
    public int Fd => _read;

    /// <summary>Wakes the loop; any thread, also after <see cref="Dispose"/> (then it does nothing).</summary>
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
