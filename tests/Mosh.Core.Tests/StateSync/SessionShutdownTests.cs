using Mosh.StateSync;
using static Mosh.StateSync.TransportConstants;

namespace Mosh.Tests.StateSync;

/// <summary>The shutdown decisions mosh-client's and mosh-server's loops share, over transports on a simulated network.</summary>
[TestFixture]
public class SessionShutdownTests
{
    private static SimulatedNetwork Running()
    {
        var network = new SimulatedNetwork(11, minDelay: 20, maxDelay: 40);
        network.RunUntil(network.Clock.Now + 1_000);
        return network;
    }

    [Test]
    public void Without_a_peer_a_request_to_end_leaves_at_once_and_starts_no_handshake()
    {
        SimulatedNetwork network = Running();
        network.Server.Connection.HasRemoteAddress = false;

        Assert.That(SessionShutdown.Request(network.Server.Transport), Is.EqualTo(ShutdownRequest.Leave));
        Assert.That(network.Server.Transport.ShutdownInProgress, Is.False);
    }

    [Test]
    public void With_a_peer_the_first_request_starts_the_handshake_and_a_second_finds_it_started()
    {
        SimulatedNetwork network = Running();

        Assert.That(SessionShutdown.Request(network.Client.Transport), Is.EqualTo(ShutdownRequest.Started));
        Assert.That(network.Client.Transport.ShutdownInProgress, Is.True);
        Assert.That(SessionShutdown.Request(network.Client.Transport), Is.EqualTo(ShutdownRequest.AlreadyStarted));
    }

    [TestCase(true)]
    [TestCase(false)]
    public void An_answered_shutdown_ends_the_initiator_as_acknowledged_and_the_peer_once_it_acknowledged(bool clientInitiates)
    {
        SimulatedNetwork network = Running();
        SimulatedNetwork.Endpoint initiator = clientInitiates ? network.Client : network.Server;
        SimulatedNetwork.Endpoint peer = clientInitiates ? network.Server : network.Client;
        Assert.That(SessionShutdown.Ended(initiator.Transport), Is.EqualTo(SessionEnd.None));
        Assert.That(SessionShutdown.Ended(peer.Transport), Is.EqualTo(SessionEnd.None));

        _ = SessionShutdown.Request(initiator.Transport);
        Assert.That(SessionShutdown.Ended(initiator.Transport), Is.EqualTo(SessionEnd.None), "the handshake has only begun");
        network.RunUntil(() => SessionShutdown.Ended(initiator.Transport) != SessionEnd.None
            && SessionShutdown.Ended(peer.Transport) != SessionEnd.None, network.Clock.Now + ACTIVE_RETRY_TIMEOUT, "both ends");

        Assert.That(SessionShutdown.Ended(initiator.Transport), Is.EqualTo(SessionEnd.Acknowledged));
        Assert.That(SessionShutdown.Ended(peer.Transport), Is.EqualTo(SessionEnd.CounterpartyAcknowledged));
    }

    [Test]
    public void An_unanswered_shutdown_ends_as_timed_out()
    {
        SimulatedNetwork network = Running();
        network.Client.Unplugged = true;
        network.Server.Unplugged = true;

        _ = SessionShutdown.Request(network.Client.Transport);
        network.RunUntil(() => SessionShutdown.Ended(network.Client.Transport) != SessionEnd.None,
            network.Clock.Now + ACTIVE_RETRY_TIMEOUT, "the end");

        Assert.That(SessionShutdown.Ended(network.Client.Transport), Is.EqualTo(SessionEnd.AckTimedOut));
        Assert.That(SessionShutdown.Ended(network.Server.Transport), Is.EqualTo(SessionEnd.None), "the server never heard of it");
    }
}
