using System.Text;
using Mosh.Util;

namespace Mosh.Client;

/// <summary>
/// The user's terminal while the client runs: raw mode (cfmakeraw plus IUTF8) on stdin, the display's open
/// sequence written on entry, and the saved settings plus the display's close sequence restored on every way out
/// (normal return, exception, suspend). Restoring twice is harmless.
/// </summary>
internal sealed class UserTerminal : IDisposable
{
    public const int InputFd = 0;
    public const int OutputFd = 1;

    private readonly TerminalAttributes _saved;
    private string _closeSequence;
    private readonly Lock _gate = new();
    private bool _raw;

    private UserTerminal(TerminalAttributes saved, string closeSequence)
    {
        _saved = saved;
        _closeSequence = closeSequence;
    }

    /// <summary>Saves the terminal's settings, enters raw mode and writes <paramref name="openSequence"/>.</summary>
    public static UserTerminal Enter(string openSequence, string closeSequence)
    {
        TerminalAttributes saved = Termios.GetAttributes(InputFd);
        var terminal = new UserTerminal(saved, closeSequence);
        terminal.EnterRaw(openSequence);
        return terminal;
    }

    /// <summary>(Re-)enters raw mode, e.g. after a suspend, writing <paramref name="openSequence"/>.</summary>
    public void EnterRaw(string openSequence)
    {
        lock (_gate)
        {
            Termios.SetAttributes(InputFd, Termios.MakeRaw(_saved));
            _raw = true;
        }

        Write(openSequence);
    }

    /// <summary>What <see cref="Restore"/> writes (the display changes it when it leaves the alternate screen for good).</summary>
    public string CloseSequence
    {
        set
        {
            lock (_gate)
            {
                _closeSequence = value;
            }
        }
    }

    /// <summary>Writes the close sequence and puts back the saved settings, if not already done.</summary>
    public void Restore()
    {
        lock (_gate)
        {
            if (!_raw)
            {
                return;
            }

            _raw = false;
            Write(_closeSequence);
            Termios.SetAttributes(InputFd, _saved);
        }
    }

    public void Dispose() => Restore();

    /// <summary>Writes all of <paramref name="text"/> (UTF-8) to stdout.</summary>
    public static void Write(string text)
    {
        if (text.Length != 0)
        {
            WriteAll(Encoding.UTF8.GetBytes(text));
        }
    }

    /// <summary>Writes all of <paramref name="bytes"/> to stdout, retrying after interruptions and short writes.</summary>
    public static void WriteAll(ReadOnlySpan<byte> bytes) => WriteAll(OutputFd, bytes);

    /// <summary>Writes all of <paramref name="bytes"/> to <paramref name="fd"/>, as <see cref="WriteAll(ReadOnlySpan{byte})"/>.</summary>
    public static unsafe void WriteAll(int fd, ReadOnlySpan<byte> bytes)
    {
        fixed (byte* start = bytes)
        {
            int written = 0;
            while (written < bytes.Length)
            {
                nint result = LibC.Write(fd, start + written, (nuint)(bytes.Length - written));
                if (result >= 0)
                {
                    written += (int)result;
                    continue;
                }

                int error = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
                if (error == LibC.EINTR)
                {
                    continue;
                }

                if (error == LibC.EAGAIN)
                {
                    Span<PollDescriptor> wait = [new PollDescriptor(fd, PollEvents.Writable)];
                    Poll.Wait(wait, -1);
                    continue;
                }

                throw LibC.Error("write(stdout)", error);
            }
        }
    }
}
