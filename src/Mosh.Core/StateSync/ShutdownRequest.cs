namespace Mosh.StateSync;

/// <summary>What became of a request to end the session (<see cref="SessionShutdown.Request"/>).</summary>
internal enum ShutdownRequest
{
    /// <summary>No peer was ever heard: there is nobody to tell, so the program leaves now.</summary>
    Leave,

    /// <summary>The shutdown handshake started with this request.</summary>
    Started,

    /// <summary>The handshake was already under way.</summary>
    AlreadyStarted,
}
