namespace Mosh.Terminal;

/// <summary>
/// Row generation numbers for one single-threaded user (a <see cref="Framebuffer"/>), taken from the process-wide
/// counter (<see cref="Row.ReserveGenerations"/>) a block at a time. A flood scrolls millions of rows, each a new
/// generation; one atomic increment per row cost about a tenth of the server's time on <c>seq</c>. Generations are only
/// compared for equality, so numbers from different blocks need no order.
/// </summary>
internal struct GenerationSource
{
    private const int BlockSize = 4096;

    private ulong _next;
    private ulong _limit;

    public ulong Next()
    {
        ulong next = _next;
        if (next == _limit)
        {
            next = Row.ReserveGenerations(BlockSize);
            _limit = next + BlockSize;
        }

        _next = next + 1;
        return next;
    }
}
