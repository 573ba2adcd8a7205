using Mosh.Client;
using Mosh.Crypto;
using Mosh.Terminal;

namespace Mosh.EndToEnd.Client;

/// <summary>
/// mosh-client's main loop treats crypto failures as upstream's does: a fatal one (the key's block budget or nonce
/// space spent) ends the session, where it used to be shown on the bar and swallowed, leaving a client that could
/// never send again; any other is shown on the bar and the session goes on.
/// </summary>
[TestFixture]
public class ClientSessionCryptoTests
{
    private static ClientSession NewSession() =>
        new("127.0.0.1", "60001", new Display(hasEch: true, hasBce: true, hasTitle: false), EscapeKeyHandler.FromSetting(null),
            titlePrefix: null, PredictionOverlay.FromEnvironment());

    [Test]
    public void A_fatal_crypto_exception_ends_the_client_session()
    {
        using ClientSession session = NewSession();
        var fatal = new CryptoException("Encrypted 2^47 blocks.", fatal: true);

        CryptoException? thrown = Assert.Throws<CryptoException>(() => session.OnCryptoException(fatal));
        Assert.That(thrown, Is.SameAs(fatal));
        Assert.That(session.BarMessage, Does.Not.Contain("Crypto exception"));
    }

    [Test]
    public void A_non_fatal_crypto_exception_is_shown_on_the_bar_and_the_session_goes_on()
    {
        using ClientSession session = NewSession();

        Assert.DoesNotThrow(() => session.OnCryptoException(new CryptoException("bad datagram", fatal: false)));
        Assert.That(session.BarMessage, Is.EqualTo("Crypto exception: bad datagram"));
    }
}
