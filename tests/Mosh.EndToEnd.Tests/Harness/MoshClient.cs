using System.Globalization;

namespace Mosh.EndToEnd.Harness;

/// <summary>Starts <c>mosh-client</c> (upstream's or ours) in a tmux pane, with the key in MOSH_KEY.</summary>
internal static class MoshClient
{
    /// <summary>Starts <paramref name="executable"/> <paramref name="host"/> <paramref name="port"/>, through
    /// <paramref name="launcher"/> if given (e.g. <c>ip netns exec NAME</c>).</summary>
    /// <param name="arguments">Options put before the operands (e.g. <c>-L</c> forwards).</param>
    public static Task<TmuxSession> StartAsync(string executable, int port, string key, TmuxOptions? options = null, string host = "127.0.0.1",
        IReadOnlyList<string>? launcher = null, IReadOnlyList<string>? arguments = null)
    {
        options ??= new TmuxOptions();
        var environment = new Dictionary<string, string?>(options.Environment) { ["MOSH_KEY"] = key };
        environment.TryAdd("LANG", "C.UTF-8");
        return TmuxSession.StartAsync(
            [.. launcher ?? [], executable, .. arguments ?? [], host, port.ToString(CultureInfo.InvariantCulture)],
            options with { Environment = environment });
    }

    public static Task<TmuxSession> StartAsync(MoshPrograms programs, int port, string key, TmuxOptions? options = null,
        IReadOnlyList<string>? arguments = null) =>
        StartAsync(programs.Client, port, key, options, arguments: arguments);
}
