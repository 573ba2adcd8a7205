using Mosh.Util;

namespace Mosh.Wrapper;

/// <summary>Asks <c>mosh-client -c</c> how many colours the local terminal has, so the server can match it.</summary>
internal static class ColorCount
{
    /// <summary>
    /// Returns the count (0 when the client prints anything but a non-negative number, as for terminals without
    /// colours), or null after printing why the client could not be run; then <paramref name="failureStatus"/> is the
    /// status to exit with (the client's own status, or the errno of a failed start, as upstream).
    /// </summary>
    public static int? Query(string clientPath, string clientName, EnvironmentBlock environment, string programName, out int failureStatus)
    {
        failureStatus = 0;
        PipedChild child;
        try
        {
            child = PipedChild.Start(clientPath, [clientName, "-c"], environment, stderrToPipe: false);
        }
        catch (SpawnException e)
        {
            StandardStreams.WriteError($"Can't count colors: {e.Message}");
            failureStatus = e.Errno;
            return null;
        }

        using var text = new MemoryStream();
        child.Output.CopyTo(text);
        child.Output.Dispose();
        int status = child.WaitForExit();
        if (status != 0)
        {
            StandardStreams.WriteError($"{programName}: {clientName} -c failed (exit status {status}).");
            failureStatus = status;
            return null;
        }
        return Parse(System.Text.Encoding.Latin1.GetString(text.ToArray()));
    }

    /// <summary>The count in the client's output (one trailing newline allowed), or 0.</summary>
    internal static int Parse(string output)
    {
        string value = output.EndsWith('\n') ? output[..^1] : output;
        if (value.Length == 0)
        {
            return 0;
        }
        foreach (char c in value)
        {
            if (c is < '0' or > '9')
            {
                return 0;
            }
        }
        return int.TryParse(value, out int colors) ? colors : 0;
    }
}
