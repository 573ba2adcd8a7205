using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Mosh.Util;

/// <summary>
/// The master side of a new pseudo-terminal (posix_openpt, grantpt, unlockpt, ptsname_r). The server spawns the
/// user's shell on <see cref="SlavePath"/> with <see cref="ChildProcess"/> and relays bytes through the master.
/// Reading the master ends (EIO) once every process has closed the slave.
/// </summary>
internal sealed unsafe class PseudoTerminal : IDisposable
{
    private const int PathBufferSize = 128;

    private readonly SafeFileHandle _master;

    private PseudoTerminal(SafeFileHandle master, string slavePath)
    {
        _master = master;
        SlavePath = slavePath;
    }

    /// <summary>The master's file descriptor, for <see cref="Poll"/> and <see cref="Termios"/>.</summary>
    public int MasterFd => (int)_master.DangerousGetHandle();

    /// <summary>The slave device, e.g. <c>/dev/pts/3</c>.</summary>
    public string SlavePath { get; }

    /// <summary>Opens a new pty pair. The master is close-on-exec and not our controlling terminal.</summary>
    public static PseudoTerminal Open()
    {
        int fd = LibC.PosixOpenPt(LibC.O_RDWR | LibC.O_NOCTTY | LibC.O_CLOEXEC);
        if (fd < 0)
        {
            throw LibC.LastError("posix_openpt");
        }

        var master = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            if (LibC.GrantPt(fd) != 0)
            {
                throw LibC.LastError("grantpt");
            }

            if (LibC.UnlockPt(fd) != 0)
            {
                throw LibC.LastError("unlockpt");
            }

            byte* path = stackalloc byte[PathBufferSize];
            int error = LibC.PtsNameR(fd, path, PathBufferSize);
            if (error != 0)
            {
                throw LibC.Error("ptsname_r", error);
            }

            return new PseudoTerminal(master, Encoding.UTF8.GetString(MemoryMarshal.CreateReadOnlySpanFromNullTerminated(path)));
        }
        catch
        {
            master.Dispose();
            throw;
        }
    }

    public WindowSize WindowSize
    {
        get => Termios.GetWindowSize(MasterFd);
        set => Termios.SetWindowSize(MasterFd, value);
    }

    /// <summary>Sets IUTF8 on the pair's line discipline (the master shares the slave's termios on Linux).</summary>
    public void EnableUtf8() => Termios.EnableUtf8(MasterFd);

    /// <summary>In non-blocking mode <see cref="TryRead"/> returns false instead of waiting for output.</summary>
    public void SetNonBlocking(bool nonBlocking)
    {
        int flags = LibC.Fcntl(MasterFd, LibC.F_GETFL, 0);
        if (flags < 0)
        {
            throw LibC.LastError("fcntl(F_GETFL)");
        }

        flags = nonBlocking ? flags | LibC.O_NONBLOCK : flags & ~LibC.O_NONBLOCK;
        if (LibC.Fcntl(MasterFd, LibC.F_SETFL, flags) != 0)
        {
            throw LibC.LastError("fcntl(F_SETFL)");
        }
    }

    /// <summary>
    /// Reads the child's output. Returns false only in non-blocking mode when nothing is waiting; otherwise
    /// <paramref name="bytesRead"/> is 0 at the end (EIO: the slave side has been closed by every process).
    /// </summary>
    public bool TryRead(Span<byte> buffer, out int bytesRead)
    {
        fixed (byte* pointer = buffer)
        {
            while (true)
            {
                nint result = LibC.Read(MasterFd, pointer, (nuint)buffer.Length);
                if (result >= 0)
                {
                    bytesRead = (int)result;
                    return true;
                }

                int error = Marshal.GetLastPInvokeError();
                switch (error)
                {
                    case LibC.EINTR:
                        continue;
                    case LibC.EIO:
                        bytesRead = 0;
                        return true;
                    case LibC.EAGAIN:
                        bytesRead = 0;
                        return false;
                    default:
                        throw LibC.Error("read(pty master)", error);
                }
            }
        }
    }

    /// <summary>
    /// Writes all of <paramref name="data"/> (the user's keystrokes), waiting for room if the master is
    /// non-blocking. Returns false if the slave side is gone.
    /// </summary>
    public bool WriteAll(ReadOnlySpan<byte> data)
    {
        fixed (byte* start = data)
        {
            int written = 0;
            while (written < data.Length)
            {
                nint result = LibC.Write(MasterFd, start + written, (nuint)(data.Length - written));
                if (result >= 0)
                {
                    written += (int)result;
                    continue;
                }

                int error = Marshal.GetLastPInvokeError();
                switch (error)
                {
                    case LibC.EINTR:
                        continue;
                    case LibC.EAGAIN:
                        Span<PollDescriptor> wait = [new PollDescriptor(MasterFd, PollEvents.Writable)];
                        Poll.Wait(wait, -1);
                        continue;
                    case LibC.EIO:
                        return false;
                    default:
                        throw LibC.Error("write(pty master)", error);
                }
            }
        }

        return true;
    }

    /// <summary>
    /// Writes as much of <paramref name="data"/> as the master takes now, without waiting (the master must be
    /// non-blocking): returns the number of bytes written, possibly 0, or -1 if the slave side is gone.
    /// </summary>
    public int WriteAvailable(ReadOnlySpan<byte> data)
    {
        fixed (byte* start = data)
        {
            int written = 0;
            while (written < data.Length)
            {
                nint result = LibC.Write(MasterFd, start + written, (nuint)(data.Length - written));
                if (result >= 0)
                {
                    written += (int)result;
                    continue;
                }

                int error = Marshal.GetLastPInvokeError();
                switch (error)
                {
                    case LibC.EINTR:
                        continue;
                    case LibC.EAGAIN:
                        return written;
                    case LibC.EIO:
                        return -1;
                    default:
                        throw LibC.Error("write(pty master)", error);
                }
            }

            return written;
        }
    }

    public void Dispose() => _master.Dispose();
}
