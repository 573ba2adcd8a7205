using System.Runtime.InteropServices;
using System.Text;
using Mosh.Util;

namespace Mosh.Wrapper;

/// <summary>
/// Plain read(2)/write(2) on the wrapper's file descriptors 0, 1 and 2. System.Console is avoided once a session
/// starts (it would initialise terminal handling and send keypad modes that mosh-client, which replaces this
/// process, must own), and FileStream is avoided because on a regular file it writes at its own cached offset
/// instead of appending after other writers.
/// </summary>
internal static unsafe class StandardStreams
{
    public const int InputFd = 0;
    public const int OutputFd = 1;
    public const int ErrorFd = 2;

    public static void WriteError(string line) => Write(ErrorFd, Encoding.UTF8.GetBytes(line + "\n"));

    public static void WriteOutput(ReadOnlySpan<byte> bytes) => Write(OutputFd, bytes);

    /// <summary>Writes everything unless the descriptor fails; returns false then.</summary>
    public static bool Write(int fd, ReadOnlySpan<byte> bytes)
    {
        fixed (byte* start = bytes)
        {
            int done = 0;
            while (done < bytes.Length)
            {
                nint n = LibC.Write(fd, start + done, (nuint)(bytes.Length - done));
                if (n < 0)
                {
                    if (Marshal.GetLastPInvokeError() == LibC.EINTR)
                    {
                        continue;
                    }
                    return false;
                }
                done += (int)n;
            }
        }
        return true;
    }

    /// <summary>Reads what is available: the count, 0 at the end, or -1 on an error.</summary>
    public static int Read(int fd, Span<byte> buffer)
    {
        fixed (byte* start = buffer)
        {
            while (true)
            {
                nint n = LibC.Read(fd, start, (nuint)buffer.Length);
                if (n >= 0 || Marshal.GetLastPInvokeError() != LibC.EINTR)
                {
                    return (int)n;
                }
            }
        }
    }
}
