using Microsoft.Win32.SafeHandles;

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

        byte[] buffer = new byte[Terminfo.MaxEntrySize];
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

    /// <summary>Reads a whole regular file of at most <see cref="Terminfo.MaxEntrySize"/> bytes.</summary>
    private static bool TryRead(string path, byte[] buffer, out int length)
    {
        length = 0;
        try
        {
            if (!File.Exists(path))
            {
                return false;
            }

            using SafeFileHandle handle = File.OpenHandle(path);
            if (RandomAccess.GetLength(handle) > buffer.Length)
            {
                return false;
            }

            int read;
            while (length < buffer.Length && (read = RandomAccess.Read(handle, buffer.AsSpan(length), length)) > 0)
            {
                length += read;
            }

            return true;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
