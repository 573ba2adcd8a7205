using System.Globalization;

namespace Mosh.Server;

/// <summary>
/// The server's idle limits from the environment, in seconds (0 = none): MOSH_SERVER_NETWORK_TMOUT ends the
/// server after that long without a client state; MOSH_SERVER_SIGNAL_TMOUT makes SIGUSR1 end it only when idle at
/// least that long.
/// </summary>
internal readonly record struct IdleTimeouts(long NetworkSeconds, long SignalSeconds)
{
    public const string NetworkVariable = "MOSH_SERVER_NETWORK_TMOUT";
    public const string SignalVariable = "MOSH_SERVER_SIGNAL_TMOUT";

    public static IdleTimeouts FromEnvironment(Func<string, string?> getEnvironment, Action<string> warn) =>
        new(Read(NetworkVariable, getEnvironment, warn), Read(SignalVariable, getEnvironment, warn));

    /// <summary>Reads one limit as upstream's strtol check does: invalid or negative values are ignored with a warning.</summary>
    private static long Read(string name, Func<string, string?> getEnvironment, Action<string> warn)
    {
        string? text = getEnvironment(name);
        if (string.IsNullOrEmpty(text))
        {
            return 0;
        }

        if (!long.TryParse(text.TrimStart(' ', '\t', '\n', '\v', '\f', '\r'), NumberStyles.AllowLeadingSign,
                CultureInfo.InvariantCulture, out long value))
        {
            warn($"{name} not a valid integer, ignoring\n");
            return 0;
        }

        if (value < 0)
        {
            warn($"{name} is negative, ignoring\n");
            return 0;
        }

        return value;
    }
}
