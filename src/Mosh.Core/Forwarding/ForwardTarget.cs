namespace Mosh.Forwarding;

/// <summary>
/// Where one end connects a forwarded stream: a TCP <see cref="Host"/>:<see cref="Port"/>, or a Unix socket
/// (<see cref="UnixPath"/>, the client's ssh agent).
/// </summary>
internal sealed record ForwardTarget(string Host, int Port, string? UnixPath = null)
{
    public static ForwardTarget Unix(string path) => new(string.Empty, 0, path);

    /// <summary>For messages: "host:port", or the socket's path.</summary>
    public string Description => UnixPath ?? ForwardSpec.FormatTarget(Host, Port);
}
