namespace Mosh.Network;

/// <summary>A socket-level failure the session cannot work around (upstream's NetworkException).</summary>
internal sealed class NetworkException : Exception
{
    public NetworkException()
    {
    }

    public NetworkException(string message)
        : base(message)
    {
    }

    public NetworkException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
