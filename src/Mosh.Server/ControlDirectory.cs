using System.Globalization;

namespace Mosh.Server;

/// <summary>
/// Where a user's sessions listen for <c>mosh-server list/attach/kill</c>: <c>$XDG_RUNTIME_DIR/mosh</c> when
/// XDG_RUNTIME_DIR names an absolute directory, else <c>/tmp/mosh-UID</c>. Either must be a real directory (not a
/// symbolic link) owned by the user with no access for group or others (0700); anything else is refused, never
/// repaired, since another user could have planted it. Each session's socket there is named by its process id.
/// </summary>
internal static class ControlDirectory
{
    /// <summary>The fallback's parent; a sticky, world-writable directory, so the owner check matters.</summary>
    public const string FallbackParent = "/tmp";

    /// <summary>The directories to look in, preferred first (both, so a session started with another
    /// XDG_RUNTIME_DIR, or after the runtime directory was removed at logout, is still found).</summary>
    public static IReadOnlyList<string> Candidates(Func<string, string?> getEnvironment, uint uid)
    {
        var list = new List<string>(2);
        if (getEnvironment("XDG_RUNTIME_DIR") is { Length: > 1 } runtime && runtime[0] == '/' && Directory.Exists(runtime))
        {
            list.Add(Path.Combine(runtime, "mosh"));
        }

        list.Add(Fallback(uid));
        return list;
    }

    public static string Fallback(uint uid) =>
        FallbackParent + "/mosh-" + uid.ToString(CultureInfo.InvariantCulture);

    /// <summary>The socket path of session <paramref name="pid"/> in <paramref name="directory"/>.</summary>
    public static string SocketPath(string directory, int pid) =>
        Path.Combine(directory, pid.ToString(CultureInfo.InvariantCulture) + ".sock");

    /// <summary>
    /// Why <paramref name="directory"/> must not be used (wrong type, owner or mode), or null when it is safe.
    /// A missing directory is reported as missing (<paramref name="missing"/>), not as unsafe.
    /// </summary>
    public static string? Problem(string directory, uint uid, out bool missing)
    {
        missing = false;
        if (FileStatus.Of(directory) is not { } status)
        {
            missing = true;
            return $"{directory}: no such directory";
        }

        if (!status.IsDirectory)
        {
            return $"{directory}: not a directory (or a symbolic link); refusing to use it";
        }

        if (status.OwnerUid != uid)
        {
            return $"{directory}: owned by uid {status.OwnerUid}, not by uid {uid}; refusing to use it";
        }

        if ((status.Permissions & 0x3F) != 0)
        {
            return $"{directory}: mode {Convert.ToString(status.Permissions, 8)} lets other users in (must be 0700); refusing to use it";
        }

        return null;
    }

    /// <summary>
    /// Creates <paramref name="directory"/> with mode 0700 if it is missing, then checks it; returns the problem, or
    /// null when the directory is safe to listen in.
    /// </summary>
    public static string? Prepare(string directory, uint uid)
    {
        if (Problem(directory, uid, out bool missing) is not { } problem)
        {
            return null;
        }

        if (!missing)
        {
            return problem;
        }

        if (OperatingSystem.IsWindows())
        {
            return "control sockets need a POSIX system";
        }

        try
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"{directory}: {e.Message}";
        }

        // Checked again: it may have been created by someone else in between.
        return Problem(directory, uid, out _);
    }
}
