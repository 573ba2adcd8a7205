using Mosh.StateSync;

namespace Mosh.Tests.StateSync;

/// <summary>
/// Reproduces issue 13's open bug: user-stream frames cut to a budget (our client's stream data) are not delivered
/// exactly once over loss and reordering. With budget changes 28 of these 300 seeds consume more stream bytes than were
/// pushed (events repeated); with no budget set all 300 pass. Explicit until the transport is fixed: then it joins the
/// suite. A first attempt (the sender forgetting sent states a shorter new frame is behind) turned the repeats into
/// stalls in 8 seeds, like the 50 MB soak's.
/// </summary>
[TestFixture]
[Explicit("reproduces an open bug (issue 13): fails until budget-cut user-stream frames are delivered exactly once")]
public class CutFrameSimulationTests
{
    [Test]
    public void Stream_events_in_budget_cut_frames_arrive_exactly_once_over_loss_and_reordering()
    {
        var failures = new List<string>();
        for (int seed = 1; seed <= 300; seed++)
        {
            try
            {
                RunSeed(seed);
            }
            catch (Exception e) when (e is AssertionException or TimeoutException or InvalidOperationException)
            {
                failures.Add($"seed {seed}: {e.Message.Split('\n')[0].Trim()}");
            }
        }

        Assert.That(failures, Is.Empty);
    }

    private static void RunSeed(int seed)
    {
        var network = new SimulatedNetwork(seed, loss: 0.3, duplication: 0.05, minDelay: 10, maxDelay: 400);
        var random = new Random(seed);
        var pushed = new List<byte>();
        long at = network.Clock.Now + 100;
        int counter = 0;
        for (int i = 0; i < 400; i++)
        {
            at += random.Next(0, 30);
            int size = random.Next(50, 3000);
            network.Schedule(at, () =>
            {
                byte[] entry = StreamLogTests.DataEntry(1, size);
                // distinct contents: a counter in the data
                for (int k = entry.Length - 4; k < entry.Length; k++)
                {
                    entry[k] = (byte)(counter >> (8 * (entry.Length - 1 - k)));
                }

                counter++;
                pushed.AddRange(entry);
                UserStream state = network.Client.Transport.CurrentState;
                state.PushStreamFrames(entry);
            });
            if (random.Next(4) == 0)
            {
                int budget = random.Next(2) == 0 ? random.Next(100, 2000) : random.Next(2000, 20000);
                network.Schedule(at, () => network.Client.Transport.CurrentState.FrameBudget = budget);
            }
        }

        network.RunUntil(() => counter == 400 && network.Server.ConsumedStreamBytes.Count >= pushed.Count, at + 600_000, "delivery");
        network.Loss = 0;
        network.RunUntil(network.Clock.Now + 10_000);
        Assert.That(network.Server.ConsumedStreamBytes.Count, Is.EqualTo(pushed.Count), "byte count");
        Assert.That(network.Server.ConsumedStreamBytes.SequenceEqual(pushed), Is.True, "contents");
    }
}
