namespace Mosh.Server;

/// <summary>
/// The message of the day a login shell gets, as upstream prints it: /run/motd.dynamic (else
/// /var/run/motd.dynamic), then /etc/motd, unless ~/.hushlogin exists.
/// </summary>
internal static class MessageOfTheDay
{
    private static readonly string[] DynamicFiles = ["/run/motd.dynamic", "/var/run/motd.dynamic"];
    private const string StaticFile = "/etc/motd";

    /// <summary>True when ~/.hushlogin asks for no motd (nor upstream's detached-session notice).</summary>
    public static bool IsHushed(string? home) => home is not null && Path.Exists(Path.Combine(home, ".hushlogin"));

    /// <summary>The bytes to show, or empty when hushed or there is nothing.</summary>
    public static byte[] Read(string? home)
    {
        if (IsHushed(home))
        {
            return [];
        }

        using var text = new MemoryStream();
        foreach (string file in DynamicFiles)
        {
            if (TryAppend(file, text))
            {
                break;
            }
        }

        TryAppend(StaticFile, text);
        return text.ToArray();
    }

    private static bool TryAppend(string path, MemoryStream text)
    {
        try
        {
            using FileStream file = File.OpenRead(path);
            file.CopyTo(text);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
