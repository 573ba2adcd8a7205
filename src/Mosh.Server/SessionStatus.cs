using System.Globalization;
using System.Text;

namespace Mosh.Server;

/// <summary>
/// One session as <c>mosh-server list</c> shows it: pid, start time, whether a client is attached (heard within
/// <see cref="UtmpEntry.DetachedAfterMs"/>, as the utmp entry says), seconds since a client was last heard (null:
/// never), the client's last address, the terminal size and the command. Crosses the control socket as one line of
/// tab-separated fields.
/// </summary>
internal sealed record SessionStatus(int Pid, long StartedUnixSeconds, bool Attached, long? IdleSeconds, string Client,
    int Columns, int Rows, string Command)
{
    private const int FieldCount = 8;

    public string ToWire() => string.Join('\t',
        Pid.ToString(CultureInfo.InvariantCulture),
        StartedUnixSeconds.ToString(CultureInfo.InvariantCulture),
        Attached ? "attached" : "detached",
        IdleSeconds is { } idle ? idle.ToString(CultureInfo.InvariantCulture) : "-",
        Clean(Client),
        Columns.ToString(CultureInfo.InvariantCulture),
        Rows.ToString(CultureInfo.InvariantCulture),
        Clean(Command));

    public static SessionStatus? FromWire(string line)
    {
        string[] f = line.Split('\t');
        if (f.Length != FieldCount
            || !int.TryParse(f[0], NumberStyles.None, CultureInfo.InvariantCulture, out int pid)
            || !long.TryParse(f[1], NumberStyles.None, CultureInfo.InvariantCulture, out long started)
            || f[2] is not ("attached" or "detached")
            || !int.TryParse(f[5], NumberStyles.None, CultureInfo.InvariantCulture, out int columns)
            || !int.TryParse(f[6], NumberStyles.None, CultureInfo.InvariantCulture, out int rows))
        {
            return null;
        }

        long? idle = long.TryParse(f[3], NumberStyles.None, CultureInfo.InvariantCulture, out long seconds) ? seconds : null;
        return new SessionStatus(pid, started, f[2] == "attached", idle, f[4], columns, rows, f[7]);
    }

    public const string TableHeader = "PID      STARTED              STATE     IDLE      CLIENT                   SIZE      COMMAND";

    /// <summary>The row under <see cref="TableHeader"/> (start time in local time).</summary>
    public string ToTableRow()
    {
        string started = DateTimeOffset.FromUnixTimeSeconds(StartedUnixSeconds).ToLocalTime()
            .ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        string idle = IdleSeconds is { } s ? Duration(s) : "never";
        string size = Columns.ToString(CultureInfo.InvariantCulture) + "x" + Rows.ToString(CultureInfo.InvariantCulture);
        return string.Create(CultureInfo.InvariantCulture,
            $"{Pid,-8} {started,-20} {(Attached ? "attached" : "detached"),-9} {idle,-9} {Client,-24} {size,-9} {Command}");
    }

    private static string Duration(long seconds) => seconds switch
    {
        < 60 => seconds.ToString(CultureInfo.InvariantCulture) + "s",
        < 3600 => (seconds / 60).ToString(CultureInfo.InvariantCulture) + "m" + (seconds % 60).ToString("00", CultureInfo.InvariantCulture) + "s",
        < 86400 => (seconds / 3600).ToString(CultureInfo.InvariantCulture) + "h" + (seconds / 60 % 60).ToString("00", CultureInfo.InvariantCulture) + "m",
        _ => (seconds / 86400).ToString(CultureInfo.InvariantCulture) + "d" + (seconds / 3600 % 24).ToString("00", CultureInfo.InvariantCulture) + "h",
    };

    private static string Clean(string text)
    {
        if (text.Length == 0)
        {
            return "-";
        }

        var b = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            b.Append(char.IsControl(c) ? ' ' : c);
        }

        return b.ToString();
    }
}
