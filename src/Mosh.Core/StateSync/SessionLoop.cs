using Mosh.Network;

namespace Mosh.StateSync;

/// <summary>
/// The event loop of mosh-client and mosh-server. Each turn: wait at most the transport's
/// <see cref="Transport{TLocal,TRemote}.WaitTime"/> (less if the program has its own deadlines) on a
/// <see cref="SessionPollSet"/>; handle what woke it (datagrams, signals, the program's own descriptors); leave if
/// <see cref="SessionShutdown.Ended"/> says so; then <see cref="Transport{TLocal,TRemote}.Tick"/>. A
/// <see cref="NetworkException"/> (upstream's "mosh protocol version mismatch", a failed send) ends only the turn:
/// each program reports it its own way and backs off, and the loop goes on.
/// </summary>
internal static class SessionLoop
{
    /// <summary>Runs <paramref name="turn"/> until it returns false; a network error ends only the turn it broke.</summary>
    public static void Run(Func<bool> turn, Action<NetworkException> onNetworkError)
    {
        while (true)
        {
            try
            {
                if (!turn())
                {
                    return;
                }
            }
            catch (NetworkException e)
            {
                onNetworkError(e);
            }
        }
    }
}
