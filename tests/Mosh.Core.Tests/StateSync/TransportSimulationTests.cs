using CsCheck;
using Mosh.StateSync;
using static Mosh.StateSync.TransportConstants;

namespace Mosh.Tests.StateSync;

/// <summary>Both ends of the transport over a simulated network, deterministic on a fake clock.</summary>
[TestFixture]
public class TransportSimulationTests
{
    /// <summary>A user's session: bursts of typing and the odd resize, at random moments over about 15 s.</summary>
    private static List<(long At, UserEvent Event)> TypingScript(int seed, long start, int events = 600)
    {
        var random = new Random(seed);
        var script = new List<(long, UserEvent)>();
        long at = start;
        for (int i = 0; i < events; i++)
        {
            at += random.Next(0, 50);
            script.Add((at, random.Next(40) == 0
                ? UserEvent.ForResize(random.Next(20, 300), random.Next(5, 100))
                : UserEvent.ForKey((byte)random.Next(256))));
        }

        return script;
    }

    private static void Play(SimulatedNetwork network, List<(long At, UserEvent Event)> script)
    {
        foreach ((long at, UserEvent e) in script)
        {
            network.Schedule(at, () =>
            {
                UserStream state = network.Client.Transport.CurrentState;
                if (e.Kind == UserEventKind.Resize)
                {
                    state.PushResize(e.Width, e.Height);
                }
                else
                {
                    state.PushKeystroke(e.Key);
                }
            });
        }
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public void TypingArrivesExactlyOnceAndInOrder_AndItsEchoComesBack_Under30PercentLossDuplicationAndReordering(int seed)
    {
        var network = new SimulatedNetwork(seed, loss: 0.3, duplication: 0.1, minDelay: 10, maxDelay: 150) { };
        network.Server.Echo = true;
        List<(long At, UserEvent Event)> script = TypingScript(seed, network.Clock.Now + 500);
        List<UserEvent> typed = script.Select(s => s.Event).ToList();
        List<UserEvent> typedKeys = typed.Where(e => e.Kind == UserEventKind.Keystroke).ToList();
        Play(network, script);

        network.RunUntil(() => network.Server.Consumed.Count >= typed.Count && network.Client.Consumed.Count >= typedKeys.Count,
            network.Clock.Now + 120_000, "delivery of the typing and its echo");

        Assert.That(network.Server.Consumed, Is.EqualTo(typed));
        Assert.That(network.Client.Consumed, Is.EqualTo(typedKeys));
        var outcomes = network.Server.Received.Concat(network.Client.Received).Select(r => r.Outcome).ToHashSet();
        Assert.That(outcomes, Does.Contain(ReceiveOutcome.Duplicate).And.Contain(ReceiveOutcome.AcceptedOutOfOrder),
            "the network really did duplicate and reorder");

        // Once the traffic settles, acknowledgements leave each sender with at most its acked and last-sent states.
        network.Loss = 0;
        network.RunUntil(network.Clock.Now + 10_000);
        Assert.That(network.Server.Consumed, Is.EqualTo(typed), "nothing is delivered twice later either");
        foreach (SimulatedNetwork.Endpoint end in new[] { network.Client, network.Server })
        {
            Assert.That(end.Transport.Sender.SentStateCount, Is.LessThanOrEqualTo(2), end.Name);
            Assert.That(end.Transport.Receiver.ReceivedStateCount, Is.LessThanOrEqualTo(3), end.Name);
            Assert.That(end.Transport.CurrentState.Count, Is.Zero, $"{end.Name} keeps no acknowledged input");
        }
    }

    [Test]
    public void TypingArrivesExactlyOnceAndInOrder_OverAnyMixOfLossDuplicationAndDelay()
    {
        Gen.Select(Gen.Int, Gen.Double[0, 0.5], Gen.Double[0, 0.3], Gen.Int[0, 200], Gen.Int[0, 300]).Sample((seed, loss, duplication, minDelay, spread) =>
        {
            var network = new SimulatedNetwork(seed, loss, duplication, minDelay, minDelay + spread);
            List<(long At, UserEvent Event)> script = TypingScript(seed, network.Clock.Now + 100, events: 80);
            Play(network, script);

            network.RunUntil(() => network.Server.Consumed.Count >= script.Count, network.Clock.Now + 300_000, "delivery");

            Assert.That(network.Server.Consumed, Is.EqualTo(script.Select(s => s.Event)));
        }, iter: 60);
    }

    [Test]
    public void WhenIdle_EachSideSendsAboutOneDatagramEvery3Seconds()
    {
        var network = new SimulatedNetwork(7);
        network.RunUntil(network.Clock.Now + 5_000);
        long start = network.Clock.Now;
        network.RunUntil(start + 60_000);

        foreach (SimulatedNetwork.Endpoint end in new[] { network.Client, network.Server })
        {
            List<SentInstruction> idle = end.Sent.Where(s => s.Time > start).ToList();
            Assert.That(idle, Has.Count.InRange(19, 21), end.Name);
            Assert.That(idle.All(s => s.IsEmptyAck), end.Name);
        }
    }

    [Test]
    public void ReceivedData_IsAcknowledgedWithin100ms_ByAPeerWithNothingToSay()
    {
        var network = new SimulatedNetwork(11, minDelay: 40, maxDelay: 40);
        network.RunUntil(network.Clock.Now + 5_000);
        long start = network.Clock.Now;
        for (int i = 0; i < 10; i++)
        {
            network.Schedule(start + (i * 1000), () => network.Client.Transport.CurrentState.PushKeystroke((byte)'x'));
        }

        network.RunUntil(start + 11_000);

        var dataArrivals = network.Server.Received.Where(r => r.Time > start && r.HadData && r.Outcome == ReceiveOutcome.Accepted).ToList();
        Assert.That(dataArrivals, Has.Count.EqualTo(10));
        foreach ((long time, _, _) in dataArrivals)
        {
            SentInstruction ack = network.Server.Sent.First(s => s.Time >= time);
            Assert.That(ack.Time - time, Is.InRange(0, ACK_DELAY));
            Assert.That(ack.AckNum, Is.GreaterThan(0UL));
        }
    }

    [TestCase(true, 0.0)]
    [TestCase(false, 0.0)]
    [TestCase(true, 0.3)]
    [TestCase(false, 0.3)]
    public void TheShutdownHandshake_Completes(bool clientInitiates, double loss)
    {
        var network = new SimulatedNetwork(5, loss: loss, minDelay: 20, maxDelay: 60);
        network.RunUntil(network.Clock.Now + 2_000);
        SimulatedNetwork.Endpoint initiator = clientInitiates ? network.Client : network.Server;
        SimulatedNetwork.Endpoint counterparty = clientInitiates ? network.Server : network.Client;

        initiator.Transport.StartShutdown();
        network.RunUntil(() => initiator.Transport.ShutdownAcknowledged && counterparty.Transport.CounterpartyShutdownAckSent,
            network.Clock.Now + ACTIVE_RETRY_TIMEOUT, "the shutdown handshake");

        Assert.That(initiator.Transport.ShutdownAckTimedOut, Is.False);
        Assert.That(counterparty.Transport.ShutdownInProgress, Is.False);
        Assert.That(initiator.Sent.Last().NewNum, Is.EqualTo(SHUTDOWN_STATE_NUM));
    }

    [Test]
    public void AShutdownNobodyAnswers_TimesOutAfter16Tries()
    {
        var network = new SimulatedNetwork(3);
        network.RunUntil(network.Clock.Now + 2_000);
        network.Server.Unplugged = true;
        network.Client.Unplugged = true;
        long start = network.Clock.Now;

        network.Client.Transport.StartShutdown();
        network.RunUntil(() => network.Client.Transport.ShutdownAckTimedOut, start + ACTIVE_RETRY_TIMEOUT, "the shutdown time-out");

        Assert.That(network.Client.Sent.Count(s => s.NewNum == SHUTDOWN_STATE_NUM), Is.EqualTo(SHUTDOWN_RETRIES));
        Assert.That(network.Client.Transport.ShutdownAcknowledged, Is.False);
        Assert.That(network.Clock.Now - start, Is.LessThan(ACTIVE_RETRY_TIMEOUT));
    }
}
