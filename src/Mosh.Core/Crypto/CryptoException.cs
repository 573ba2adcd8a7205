namespace Mosh.Crypto;

/// <summary>
/// A failure of the crypto layer, with upstream's distinction: a fatal one (the key's block budget or the
/// nonce space is spent) ends the session, any other means the input was bad and can be dropped.
/// </summary>
internal sealed class CryptoException : Exception
{
    public CryptoException()
    {
    }

    public CryptoException(string message)
        : base(message)
    {
    }

    public CryptoException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public CryptoException(string message, bool fatal)
        : base(message)
    {
        Fatal = fatal;
    }

    /// <summary>True when the session cannot continue (upstream's <c>CryptoException::fatal</c>).</summary>
    public bool Fatal { get; }
}
