using System.Runtime.InteropServices;
using System.Text;

namespace Mosh.Util;

/// <summary>
/// Plain read(2)/write(2) on file descriptors 0, 1 and 2: the only way the executables write messages. Any use of
/// System.Console initialises the BCL's terminal handling, which writes terminfo's keypad_xmit (ESC[?1h ESC=,
/// application cursor keys and keypad) to the user's terminal and never undoes it, so System.Console is banned
/// (BannedSymbols.txt). FileStream is avoided too: on a regular file it writes at its own cached offset instead of
/// appending after other writers.
/// </summary>
internal static unsafe class StandardStreams
{
    public const int InputFd = 0;
    public const int OutputFd = 1;
    public const int ErrorFd = 2;

    /// <summary>Writes <paramref name="line"/> and a newline to standard error.</summary>
    public static void WriteError(string line) => Write(ErrorFd, Encoding.UTF8.GetBytes(line + "\n"));

    /// <summary>Writes <paramref name="text"/> to standard error as it is (no newline added).</summary>
    public static void WriteErrorText(string text) => Write(ErrorFd, Encoding.UTF8.GetBytes(text));

    /// <summary>Writes <paramref name="text"/> to standard output as it is (no newline added).</summary>
    public static void WriteOutput(string text) => Write(OutputFd, Encoding.UTF8.GetBytes(text));

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
