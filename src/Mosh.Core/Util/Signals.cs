using System.Runtime.InteropServices;

namespace Mosh.Util;

/// <summary>
/// The few signal operations PosixSignalRegistration does not cover. Handle SIGINT, SIGTERM, SIGHUP, SIGCHLD and
/// SIGWINCH with <see cref="PosixSignalRegistration"/>; use <see cref="Ignore"/> only for signals nobody handles
/// (e.g. SIGHUP in a detached mosh-server), before any registration for them.
/// </summary>
internal static unsafe class Signals
{
    public const int SIGHUP = 1;
    public const int SIGINT = 2;
    public const int SIGKILL = 9;
    public const int SIGPIPE = 13;
    public const int SIGTERM = 15;
    public const int SIGCHLD = 17;
    public const int SIGCONT = 18;
    public const int SIGSTOP = 19;
    public const int SIGWINCH = 28;

    private const nint SignalIgnore = 1; // SIG_IGN

    /// <summary>Sets the signal's disposition to ignored for this process (children get defaults back on spawn).</summary>
    public static void Ignore(int signal)
    {
        LibC.SignalAction action = default;
        action.Handler = SignalIgnore;
        LibC.SigEmptySet(&action.Mask);
        if (LibC.SigAction(signal, &action, null) != 0)
        {
            throw LibC.LastError($"sigaction({signal})");
        }
    }

    /// <summary>kill(2); false if the process no longer exists or may not be signalled.</summary>
    public static bool Send(int processId, int signal) => LibC.Kill(processId, signal) == 0;
}
