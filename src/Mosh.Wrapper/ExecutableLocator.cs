namespace Mosh.Wrapper;

/// <summary>
/// Finds mosh-client and mosh-server: a name with a slash is used as given; a bare name is looked for first beside
/// the wrapper's own executable (so an installed or unpacked set of our binaries uses itself) and then in PATH.
/// </summary>
internal static class ExecutableLocator
{
    /// <summary>Returns the path to run, or null when a bare name is found nowhere.</summary>
    public static string? Find(string name, string? ownPath, string? searchPath)
    {
        if (name.Contains('/', StringComparison.Ordinal))
        {
            return name;
        }
        if (Path.GetDirectoryName(ownPath) is { Length: > 0 } ownDirectory)
        {
            string sibling = Path.Combine(ownDirectory, name);
            if (IsExecutableFile(sibling))
            {
                return sibling;
            }
        }
        foreach (string directory in (searchPath ?? "").Split(':'))
        {
            // An empty PATH entry means the current directory.
            string candidate = Path.Combine(directory.Length == 0 ? "." : directory, name);
            if (IsExecutableFile(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    private static bool IsExecutableFile(string path)
    {
        try
        {
            return !OperatingSystem.IsWindows() && File.Exists(path) &&
                (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
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
