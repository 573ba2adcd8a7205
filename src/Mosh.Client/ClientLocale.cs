using Mosh.Util;

namespace Mosh.Client;

/// <summary>mosh-client runs only in a UTF-8 locale; otherwise it explains (upstream's words) and exits 1.</summary>
internal static class ClientLocale
{
    /// <summary>Adopts the native locale; null when it is UTF-8, else the complaint to print.</summary>
    public static string? Check(Action<string> warn)
    {
        if (NativeLocale.Adopt() is { } problem)
        {
            warn(problem);
        }

        if (NativeLocale.IsUtf8)
        {
            return null;
        }

        return "mosh-client needs a UTF-8 native locale to run.\n\n" +
            $"Unfortunately, the client's environment ({NativeLocale.DescribeCharacterType()}) specifies\n" +
            $"the character set \"{NativeLocale.Charset}\".\n\n";
    }
}
