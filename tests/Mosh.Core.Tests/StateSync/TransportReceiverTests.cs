using System.Buffers;
using Mosh.Network;
using Mosh.Protobufs;
using Mosh.StateSync;
using static Mosh.StateSync.TransportConstants;

namespace Mosh.Tests.StateSync;

[TestFixture]
public class TransportReceiverTests
{
    private FakeClock _clock = null!;
    private TransportReceiver<UserStream> _receiver = null!;

    [SetUp]
    public void SetUp()
    {
        _clock = new FakeClock();
        _receiver = new TransportReceiver<UserStream>(new UserStream(), _clock);
    }

    private static byte[] KeysDiff(string keys)
    {
        var stream = new UserStream();
        stream.PushKeystrokes(System.Text.Encoding.ASCII.GetBytes(keys));
        var output = new ArrayBufferWriter<byte>();
        stream.InitDiff(output);
        return output.WrittenSpan.ToArray();
    }

    private static string Text(UserStream stream)
    {
        var text = new System.Text.StringBuilder();
        foreach (UserEventRun run in stream)
        {
            text.Append(System.Text.Encoding.ASCII.GetString(run.Keys));
        }

        return text.ToString();
    }

    private ReceiveOutcome Receive(ulong oldNum, ulong newNum, string keys = "", ulong throwaway = 0) =>
        Receive(oldNum, newNum, keys.Length == 0 ? [] : KeysDiff(keys), throwaway);

    private ReceiveOutcome Receive(ulong oldNum, ulong newNum, byte[] diff, ulong throwaway)
    {
        var instruction = new TransportInstruction
        {
            ProtocolVersion = NetworkConstants.MOSH_PROTOCOL_VERSION,
            OldNum = oldNum,
            NewNum = newNum,
            ThrowawayNum = throwaway,
            Diff = diff,
        };
        return _receiver.Receive(in instruction);
    }

    private string RemoteDiffText()
    {
        var output = new ArrayBufferWriter<byte>();
        _receiver.GetRemoteDiff(output);
        var stream = new UserStream();
        Assert.That(stream.TryApply(output.WrittenSpan), Is.True);
        return Text(stream);
    }

    [Test]
    public void A_newest_state_behind_the_consumed_one_brings_nothing_and_what_follows_it_comes_once()
    {
        // Our client cuts frames to a budget: after a timeout it sends, from the acknowledged state, a frame shorter
        // than one the server already consumed. Stepping back to it made the next difference repeat "cd".
        Assert.That(Receive(0, 1, "abcd"), Is.EqualTo(ReceiveOutcome.Accepted));
        Assert.That(RemoteDiffText(), Is.EqualTo("abcd"));
        Assert.That(Receive(0, 2, "ab"), Is.EqualTo(ReceiveOutcome.Accepted));
        Assert.That(RemoteDiffText(), Is.EqualTo(string.Empty));
        Assert.That(Receive(2, 3, "cdef"), Is.EqualTo(ReceiveOutcome.Accepted));
        Assert.That(RemoteDiffText(), Is.EqualTo("ef"));
        Assert.That(Receive(3, 4, "g", throwaway: 3), Is.EqualTo(ReceiveOutcome.Accepted));
        Assert.That(RemoteDiffText(), Is.EqualTo("g"));
    }

    [Test]
    public void ADiffOnAHeldState_BuildsTheNewestRemoteState()
    {
        _clock.Advance(5);

        Assert.That(Receive(0, 1, "ab"), Is.EqualTo(ReceiveOutcome.Accepted));
        Assert.That(Receive(1, 2, "c"), Is.EqualTo(ReceiveOutcome.Accepted));

        Assert.That(_receiver.RemoteStateNum, Is.EqualTo(2UL));
        Assert.That(Text(_receiver.LatestRemoteState.State), Is.EqualTo("abc"));
        Assert.That(_receiver.LatestRemoteState.Timestamp, Is.EqualTo(_clock.Now));
    }

    [Test]
    public void AStateAlreadyHeld_IsIgnored_WhateverItsDiff()
    {
        Assert.That(Receive(0, 1, "a"), Is.EqualTo(ReceiveOutcome.Accepted));

        Assert.That(Receive(0, 1, "a"), Is.EqualTo(ReceiveOutcome.Duplicate));
        Assert.That(Receive(0, 1, "zzz"), Is.EqualTo(ReceiveOutcome.Duplicate));
        Assert.That(Receive(0, 0, "zzz"), Is.EqualTo(ReceiveOutcome.Duplicate));

        Assert.That(_receiver.ReceivedStateCount, Is.EqualTo(2));
        Assert.That(Text(_receiver.LatestRemoteState.State), Is.EqualTo("a"));
    }

    [Test]
    public void ADiffOnAStateNotHeld_IsIgnored()
    {
        Assert.That(Receive(5, 6, "a"), Is.EqualTo(ReceiveOutcome.UnknownReference));

        Assert.That(_receiver.ReceivedStateCount, Is.EqualTo(1));
        Assert.That(_receiver.RemoteStateNum, Is.Zero);
    }

    [Test]
    public void AnOlderStateArrivingLate_IsKeptInOrder_WithoutBecomingTheNewest()
    {
        Assert.That(Receive(0, 1, "a"), Is.EqualTo(ReceiveOutcome.Accepted));
        Assert.That(Receive(1, 3, "bc"), Is.EqualTo(ReceiveOutcome.Accepted));

        Assert.That(Receive(1, 2, "b"), Is.EqualTo(ReceiveOutcome.AcceptedOutOfOrder));

        Assert.That(_receiver.RemoteStateNum, Is.EqualTo(3UL));
        Assert.That(_receiver.Holds(2), Is.True);
        Assert.That(Receive(2, 4, "cd"), Is.EqualTo(ReceiveOutcome.Accepted), "the late state can be a base");
        Assert.That(Text(_receiver.LatestRemoteState.State), Is.EqualTo("abcd"));
    }

    [Test]
    public void StatesBelowTheThrowawayNumber_AreDiscarded()
    {
        Receive(0, 1, "a");
        Receive(1, 2, "b");

        Assert.That(Receive(2, 3, "c", throwaway: 2), Is.EqualTo(ReceiveOutcome.Accepted));

        Assert.That(_receiver.Holds(0), Is.False);
        Assert.That(_receiver.Holds(1), Is.False);
        Assert.That(_receiver.Holds(2), Is.True);
        Assert.That(Receive(1, 4, "bcd"), Is.EqualTo(ReceiveOutcome.UnknownReference));
    }

    [Test]
    public void AThrowawayNumberBeyondEveryState_KeepsTheNewestRatherThanFailing()
    {
        Assert.That(Receive(0, 1, "a", throwaway: 100), Is.EqualTo(ReceiveOutcome.Accepted));

        Assert.That(_receiver.ReceivedStateCount, Is.EqualTo(2));
        Assert.That(Receive(1, 2, "b", throwaway: 100), Is.EqualTo(ReceiveOutcome.Accepted));
        Assert.That(Text(_receiver.LatestRemoteState.State), Is.EqualTo("ab"));
    }

    [Test]
    public void BeyondTheQueueLimit_OneNewStateIsAcceptedPer15SecondQuench()
    {
        ulong num = 0;
        for (; num < RECEIVED_STATES_LIMIT; num++)
        {
            Assert.That(Receive(num, num + 1), Is.EqualTo(ReceiveOutcome.Accepted));
        }

        Assert.That(_receiver.ReceivedStateCount, Is.EqualTo(RECEIVED_STATES_LIMIT + 1));
        Assert.That(Receive(num, num + 1), Is.EqualTo(ReceiveOutcome.Accepted), "the first overflow starts the quench");
        num++;
        Assert.That(Receive(num, num + 1), Is.EqualTo(ReceiveOutcome.Quenched));

        _clock.Advance(RECEIVER_QUENCH_INTERVAL - 1);
        Assert.That(Receive(num, num + 1), Is.EqualTo(ReceiveOutcome.Quenched));
        _clock.Advance(1);
        Assert.That(Receive(num, num + 1), Is.EqualTo(ReceiveOutcome.Accepted));
        num++;
        Assert.That(Receive(num, num + 1), Is.EqualTo(ReceiveOutcome.Quenched));
        Assert.That(_receiver.ReceivedStateCount, Is.EqualTo(RECEIVED_STATES_LIMIT + 3));

        Assert.That(Receive(num, num + 1, "", throwaway: num), Is.EqualTo(ReceiveOutcome.Accepted), "throwing away old states lifts it");
        Assert.That(_receiver.ReceivedStateCount, Is.EqualTo(2));
    }

    [Test]
    public void APeerBranchingFromAnOlderState_NeitherFailsNorRepeats_ItsEventsPastWhatWasConsumedArrive()
    {
        // Upstream aborts on such a peer. Positions decide: "b" stands where "a" was consumed, "c" is new.
        Receive(0, 1, "a");
        Assert.That(RemoteDiffText(), Is.EqualTo("a"));

        Assert.That(Receive(0, 2, "bc"), Is.EqualTo(ReceiveOutcome.Accepted));

        Assert.That(RemoteDiffText(), Is.EqualTo("c"));
    }

    [Test]
    public void AShorterStateNumberedAfterALongerConsumedOne_DeliversNothingTwice()
    {
        // Our client's budget-cut frames: state 2 ("ab", cut after a timeout) follows state 1 ("abcd"), then state 3
        // extends state 2 past state 1's end.
        Receive(0, 1, "abcd");
        Assert.That(RemoteDiffText(), Is.EqualTo("abcd"));
        Receive(0, 2, "ab");
        Assert.That(RemoteDiffText(), Is.Empty);
        Receive(2, 3, "cdef", throwaway: 1);

        Assert.That(RemoteDiffText(), Is.EqualTo("ef"));
    }

    [Test]
    public void ALongerStateArrivingAfterAShorterNewerOne_IsNotCutFromWhatIsStillToCome()
    {
        // State 1 ("abcd") was delayed; state 2 ("ab", cut) was consumed first, and state 1 becomes the oldest held.
        Receive(0, 2, "ab");
        Assert.That(RemoteDiffText(), Is.EqualTo("ab"));
        Receive(0, 1, "abcd", throwaway: 1);
        Assert.That(RemoteDiffText(), Is.Empty);
        Receive(1, 3, "e", throwaway: 1);

        Assert.That(RemoteDiffText(), Is.EqualTo("cde"));
    }

    [Test]
    public void AMalformedDiff_IsRefused()
    {
        Assert.That(Receive(0, 1, [0x0A, 0x05, 0x12], 0), Is.EqualTo(ReceiveOutcome.InvalidDiff));

        Assert.That(_receiver.Holds(1), Is.False);
        Assert.That(Receive(0, 1, "a"), Is.EqualTo(ReceiveOutcome.Accepted));
    }

    [Test]
    public void TheRemoteDiff_IsWhatArrivedSinceItWasLastTaken_AndConsumedInputIsNotRetained()
    {
        Receive(0, 1, "ab");
        Assert.That(RemoteDiffText(), Is.EqualTo("ab"));
        Assert.That(RemoteDiffText(), Is.Empty);

        Receive(1, 2, "c", throwaway: 1);
        Assert.That(RemoteDiffText(), Is.EqualTo("c"));

        Receive(2, 3, "d", throwaway: 2);
        Receive(3, 4, "e", throwaway: 2);
        Assert.That(RemoteDiffText(), Is.EqualTo("de"));
        Assert.That(Text(_receiver.LatestRemoteState.State), Is.EqualTo("de"), "only input past the oldest held state remains");
    }

    /// <summary>A diff of <paramref name="count"/> distinct-ish keystrokes (so each state holds its own bytes).</summary>
    private static byte[] ManyKeys(int count, int seed)
    {
        var random = new Random(seed);
        char[] keys = new char[count];
        for (int i = 0; i < count; i++)
        {
            keys[i] = (char)('a' + random.Next(26));
        }

        return KeysDiff(new string(keys));
    }

    [Test]
    public void ASenderThatNeverLetsStatesBeThrownAway_CannotMakeTheQueueHoldMoreThanTheByteLimit()
    {
        // The hostile key holder of the issue: each state 1000 keystrokes on the last, throwaway always 0, while the
        // server consumes every state it accepts. Every held state is a full copy: quadratic without a byte bound.
        byte[] diff = ManyKeys(1000, seed: 1);
        ulong newest = 0;
        int refused = 0;
        long mostHeld = 0;
        for (ulong num = 0; num < 400; num++)
        {
            ReceiveOutcome outcome = Receive(newest, newest + 1, diff, throwaway: 0);
            if (outcome == ReceiveOutcome.Accepted)
            {
                newest++;
                _ = RemoteDiffText();
            }
            else
            {
                Assert.That(outcome, Is.EqualTo(ReceiveOutcome.Quenched));
                refused++;
            }

            mostHeld = Math.Max(mostHeld, _receiver.HeldBytes);
        }

        TestContext.Out.WriteLine($"accepted {newest} states, refused {refused}; most held {mostHeld} bytes");
        Assert.That(refused, Is.GreaterThan(0), "states beyond the byte limit are refused");
        Assert.That(mostHeld, Is.LessThanOrEqualTo(RECEIVED_STATES_BYTE_LIMIT + 1_000_000),
            "at most the limit plus the states that crossed it (a few hundred kB)");
    }

    /// <summary>A byte limit for tests of what happens at the limit (the real one takes many large copies to reach).</summary>
    private const long SmallByteLimit = 1024 * 1024;

    [Test]
    public void PastTheByteLimit_ConsumedStatesAreRebased_SoASenderWhoseThrowawayLaggedGoesOn()
    {
        // The server consumes every state, but the sender let none be thrown away for a while, so every held state
        // is a copy of everything since the start and the limit is reached. Once the sender throws the old states
        // away, the one left still holds all of it (rebased only when the next state is consumed, and nothing is
        // left to consume): without rebasing on it, every new state would be refused for good.
        // States of 300 kB each: after the throwaway the one left and the consumed copy of it alone pass the limit.
        const int Keys = 300 * 1024;
        _receiver = new TransportReceiver<UserStream>(new UserStream(), _clock, SmallByteLimit);
        byte[] diff = ManyKeys(Keys, seed: 2);
        ulong newest = 0;
        while (Receive(newest, newest + 1, diff, throwaway: 0) == ReceiveOutcome.Accepted)
        {
            newest++;
            _ = RemoteDiffText();
            Assert.That(newest, Is.LessThan(64), "the byte limit is never reached");
        }

        Assert.That(Receive(newest, newest + 1, diff, throwaway: newest), Is.EqualTo(ReceiveOutcome.Accepted),
            "accepted once the sender throws away what was consumed");
        Assert.That(RemoteDiffText(), Has.Length.EqualTo(Keys), "only the new keys");
        Assert.That(_receiver.HeldBytes, Is.LessThanOrEqualTo(2 * Keys + 1024), "the new state and the consumed copy of it");
    }

    [Test]
    public void PastTheByteLimit_UnconsumedStatesWait_AndAreAcceptedOnceTheConsumerCatchesUp()
    {
        // The server's application is slow: it stops taking input, so states pile up unconsumed. Past the limit new
        // ones are refused (not acknowledged, so sent again); once the consumer takes what is held they go in again,
        // and nothing is lost on the way.
        const int Keys = 16 * 1024;
        _receiver = new TransportReceiver<UserStream>(new UserStream(), _clock, SmallByteLimit);
        byte[] diff = ManyKeys(Keys, seed: 3);
        ulong num = 0;
        while (Receive(num, num + 1, diff, throwaway: num) == ReceiveOutcome.Accepted)
        {
            num++;
            Assert.That(num, Is.LessThan(100), "the byte limit is never reached");
        }

        Assert.That(Receive(num, num + 1, diff, throwaway: num), Is.EqualTo(ReceiveOutcome.Quenched), "refused while nothing is consumed");
        Assert.That(RemoteDiffText(), Has.Length.EqualTo((int)num * Keys), "every key held so far, in one diff");
        Assert.That(Receive(num, num + 1, diff, throwaway: num), Is.EqualTo(ReceiveOutcome.Accepted), "accepted again once consumed");
        Assert.That(RemoteDiffText(), Has.Length.EqualTo(Keys));
    }
}
