using System.Net.Sockets;

namespace Mosh.Forwarding;

/// <summary>
/// A listening socket of a <see cref="StreamMultiplexer"/>. On the client (<c>-L</c>) each connection opens a stream
/// to <see cref="Target"/>; on the server (<c>-R</c>, the agent socket) each opens a stream the client maps by
/// <see cref="Number"/> to a target of its own.
/// </summary>
internal sealed class StreamListener(Socket socket, string target, uint number, bool persistent) : IDisposable
{
    public Socket Socket { get; } = socket;

    /// <summary>Client: the target its Open frames name. Server: what it listens on, for messages.</summary>
    public string Target { get; } = target;

    /// <summary>Server: the client's number for this listener; 0 while no client asked for it (connections are closed).</summary>
    public uint Number { get; set; } = number;

    /// <summary>Outlives a change of client (the session's agent socket, whose path the shell already holds).</summary>
    public bool Persistent { get; } = persistent;

    public void Dispose() => Socket.Dispose();
}
