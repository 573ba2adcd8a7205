namespace Mosh.StateSync;

/// <summary>Whether the shutdown handshake has ended the session, and how (<see cref="SessionShutdown.Ended"/>).</summary>
internal enum SessionEnd
{
    /// <summary>The session goes on.</summary>
    None,

    /// <summary>The peer acknowledged our shutdown: a clean end.</summary>
    Acknowledged,

    /// <summary>Our shutdown went unanswered (16 tries or 10 s): the end is not clean.</summary>
    AckTimedOut,

    /// <summary>The peer shut down and we acknowledged it: a clean end.</summary>
    CounterpartyAcknowledged,
}
