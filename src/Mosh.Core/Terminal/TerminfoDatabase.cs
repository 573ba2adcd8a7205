using System.Runtime.InteropServices;
using Mosh.Util;

namespace Mosh.Terminal;

/// <summary>
/// Finds and loads compiled terminfo entries the way ncurses does, without ncurses: the first readable, valid
/// entry along $TERMINFO, ~/.terminfo, $TERMINFO_DIRS, then the system directories, each in both the
/// <c>x/xterm</c> and the hexadecimal <c>78/xterm</c> layouts.
/// </summary>
internal static class TerminfoDatabase
{
    /// <summary>Debian's ncurses is configured with these, in this order.</summary>
    public static readonly IReadOnlyList<string> SystemDirectories = ["/etc/terminfo", "/lib/terminfo", "/usr/share/terminfo"];

    /// <summary>What an empty element of $TERMINFO_DIRS stands for (ncurses' compiled-in TERMINFO).</summary>
    private const string DefaultDirectory = "/usr/share/terminfo";

    /// <summary>Loads the entry for <paramref name="terminalName"/> (e.g. $TERM); null if there is none.</summary>
    public static Terminfo? Load(string? terminalName) =>
        Load(terminalName, SearchDirectories(Environment.GetEnvironmentVariable));

    /// <summary>Loads the first valid entry for <paramref name="terminalName"/> in <paramref name="directories"/>.</summary>
    public static Terminfo? Load(string? terminalName, IEnumerable<string> directories)
    {
        if (!IsValidName(terminalName))
        {
            return null;
        }

        byte[] buffer = new byte[Terminfo.MaxEntrySize + 1]; // one more, to notice oversized files
        foreach (string directory in directories)
        {
            foreach (string path in CandidatePaths(directory, terminalName))
            {
                if (TryRead(path, buffer, out int length) && Terminfo.Parse(buffer.AsSpan(0, length)) is { } entry)
                {
                    return entry;
                }
            }
        }

        return null;
    }

    /// <summary>The directories ncurses searches, given a way to read environment variables.</summary>
    public static List<string> SearchDirectories(Func<string, string?> environment)
    {
        var directories = new List<string>();
        if (environment("TERMINFO") is { Length: > 0 } terminfo)
        {
            directories.Add(terminfo);
        }

        if (environment("HOME") is { Length: > 0 } home)
        {
            directories.Add(Path.Combine(home, ".terminfo"));
        }

        if (environment("TERMINFO_DIRS") is { Length: > 0 } list)
        {
            foreach (string element in list.Split(':'))
            {
                directories.Add(element.Length == 0 ? DefaultDirectory : element);
            }
        }

        directories.AddRange(SystemDirectories);
        return directories;
    }

    private static IEnumerable<string> CandidatePaths(string directory, string terminalName)
    {
        char first = terminalName[0];
        yield return Path.Combine(directory, first.ToString(), terminalName);
        yield return Path.Combine(directory, ((int)first).ToString("x2"), terminalName);
    }

    /// <summary>A name that cannot escape the database directory: no '/', no leading '.', no NUL.</summary>
    private static bool IsValidName([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? name) =>
        !string.IsNullOrEmpty(name) && name.Length <= 255 && name[0] != '.' && name[0] < 0x80
        && !name.Contains('/') && !name.Contains('\0');

    /// <summary>
    /// Reads a whole entry of at most <see cref="Terminfo.MaxEntrySize"/> bytes. O_NONBLOCK keeps a FIFO planted in
    /// a search directory from hanging us (it reads as empty); devices and directories fail to parse or read.
    /// </summary>
    private static unsafe bool TryRead(string path, byte[] buffer, out int length)
    {
        length = 0;
        int fd = LibC.Open(path, LibC.O_RDONLY | LibC.O_NONBLOCK | LibC.O_CLOEXEC);
        if (fd < 0)
        {
            return false;
        }

        try
        {
            fixed (byte* start = buffer)
            {
                while (length < buffer.Length)
                {
                    nint read = LibC.Read(fd, start + length, (nuint)(buffer.Length - length));
                    if (read == 0)
                    {
                        return true;
                    }

                    if (read < 0)
                    {
                        if (Marshal.GetLastPInvokeError() == LibC.EINTR)
                        {
                            continue;
                        }

                        return false;
                    }

                    length += (int)read;
                }
            }

            return false; // larger than any entry ncurses accepts
        }
        finally
        {
            LibC.Close(fd);
        }
    }
}
