namespace Mosh.Server;

/// <summary>
/// Bytes on their way to the application's pty (the user's keystrokes, the emulator's answers), written as the pty
/// takes them so that the server never waits on a program that is busy writing output it has not read yet. The
/// server stops taking new user input from the transport while <see cref="IsFull"/>, so the queue holds at most
/// <see cref="Limit"/> plus one state's worth of events; the rest waits, unacknowledged beyond the receiver's
/// budget, on the client.
/// </summary>
internal sealed class ApplicationInputQueue
{
    /// <summary>At or above this many bytes waiting, no more user input is taken from the transport.</summary>
    public const int Limit = 64 * 1024;

    private const int InitialCapacity = 4096;

    /// <summary>A buffer grown beyond this by a large paste is given back once the queue is empty.</summary>
    private const int KeptCapacity = 256 * 1024;

    private byte[] _bytes = new byte[InitialCapacity];
    private int _start;
    private int _end;

    public int Count => _end - _start;

    public bool IsFull => Count >= Limit;

    public ReadOnlySpan<byte> Pending => _bytes.AsSpan(_start, Count);

    public void Append(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }

        if (_end + data.Length > _bytes.Length)
        {
            int count = Count;
            if (count + data.Length <= _bytes.Length)
            {
                _bytes.AsSpan(_start, count).CopyTo(_bytes); // room enough once what was written is dropped
            }
            else
            {
                byte[] larger = new byte[Math.Max(_bytes.Length * 2, count + data.Length)];
                _bytes.AsSpan(_start, count).CopyTo(larger);
                _bytes = larger;
            }

            _start = 0;
            _end = count;
        }

        data.CopyTo(_bytes.AsSpan(_end));
        _end += data.Length;
    }

    /// <summary>Drops the first <paramref name="count"/> bytes, which the pty has taken.</summary>
    public void Consume(int count)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)count, (uint)Count);
        _start += count;
        if (_start == _end)
        {
            _start = _end = 0;
            if (_bytes.Length > KeptCapacity)
            {
                _bytes = new byte[InitialCapacity];
            }
        }
    }
}
