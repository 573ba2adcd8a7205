namespace Mosh.StateSync;

/// <summary>
/// The shutdown decisions mosh-client and mosh-server make alike, as upstream's two frontends do over the shared
/// transport: a program that wants to end (end of input, a signal, the application exited) starts the handshake when
/// a peer is known and otherwise just leaves; it leaves once the handshake is over either way.
/// </summary>
internal static class SessionShutdown
{
    /// <summary>Asks to end the session: starts the shutdown handshake if a peer is known and it has not started.</summary>
    public static ShutdownRequest Request<TLocal, TRemote>(Transport<TLocal, TRemote> transport)
        where TLocal : class, ISyncState<TLocal>
        where TRemote : class, ISyncState<TRemote>
    {
        if (!transport.HasRemoteAddress)
        {
            return ShutdownRequest.Leave;
        }

        if (transport.ShutdownInProgress)
        {
            return ShutdownRequest.AlreadyStarted;
        }

        transport.StartShutdown();
        return ShutdownRequest.Started;
    }

    /// <summary>Whether the handshake has ended the session: checked once a turn, after what woke the loop was handled.</summary>
    public static SessionEnd Ended<TLocal, TRemote>(Transport<TLocal, TRemote> transport)
        where TLocal : class, ISyncState<TLocal>
        where TRemote : class, ISyncState<TRemote>
    {
        if (transport.ShutdownInProgress && transport.ShutdownAcknowledged)
        {
            return SessionEnd.Acknowledged;
        }

        if (transport.ShutdownInProgress && transport.ShutdownAckTimedOut)
        {
            return SessionEnd.AckTimedOut;
        }

        return transport.CounterpartyShutdownAckSent ? SessionEnd.CounterpartyAcknowledged : SessionEnd.None;
    }
}
