using Mosh.Util;

namespace Mosh.Server;

/// <summary>
/// mosh-server's locale rule: adopt the native locale; if it is not UTF-8, replace every locale variable with the
/// client's (<c>-l NAME=VALUE</c>) and try again; if that is not UTF-8 either, explain both and refuse to run.
/// </summary>
internal static class ServerLocale
{
    /// <summary>Returns null when a UTF-8 locale is in effect, else the complaint to print before exiting 1.</summary>
    public static string? Establish(IReadOnlyList<string> clientAssignments, Action<string> warn)
    {
        if (NativeLocale.Adopt() is { } problem)
        {
            warn(problem);
        }

        if (NativeLocale.IsUtf8)
        {
            return null;
        }

        string nativeType = NativeLocale.DescribeCharacterType();
        string nativeCharset = NativeLocale.Charset;

        NativeLocale.ClearVariables();
        foreach (string assignment in clientAssignments)
        {
            // putenv semantics: "NAME=VALUE"; an entry without '=' names nothing to set.
            int equals = assignment.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                NativeLocale.SetVariable(assignment[..equals], assignment[(equals + 1)..]);
            }
        }

        if (NativeLocale.Adopt() is { } clientProblem)
        {
            warn(clientProblem);
        }

        if (NativeLocale.IsUtf8)
        {
            return null;
        }

        return "mosh-server needs a UTF-8 native locale to run.\n\n" +
            $"Unfortunately, the local environment ({nativeType}) specifies\n" +
            $"the character set \"{nativeCharset}\",\n\n" +
            $"The client-supplied environment ({NativeLocale.DescribeCharacterType()}) specifies\n" +
            $"the character set \"{NativeLocale.Charset}\".\n\n";
    }
}
