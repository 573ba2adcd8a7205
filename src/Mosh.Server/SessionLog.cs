using Mosh.Util;

namespace Mosh.Server;

/// <summary>
/// Upstream's optional syslog record of sessions (its <c>--enable-syslog</c>, off by default and in Debian's
/// build): begin, each (re)attachment with the client's address, end. Built in with <c>./configure.sh
/// --enable-syslog</c> (MSBuild property MoshSyslog=true); otherwise nothing is logged.
/// </summary>
internal static class SessionLog
{
    public static string BeginText(string user) => $"user {user} session begin";

    public static string ConnectedText(string user, string host) => $"user {user} connected from host: {host}";

    public static string EndText(string user) => $"user {user} session end";

    public static void Begin(string user) => Write(BeginText(user));

    public static void Connected(string user, string host) => Write(ConnectedText(user, host));

    public static void End(string user) => Write(EndText(user));

#if MOSH_SYSLOG
    private static void Write(string message) => Syslog.Info(message);
#else
    private static void Write(string message) => _ = message;
#endif
}
