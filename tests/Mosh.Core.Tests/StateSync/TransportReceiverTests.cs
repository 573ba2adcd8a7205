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
    public void APeerBranchingFromAnOlderState_DeliversItsNewBranchWithoutFailing()
    {
        Receive(0, 1, "a");
        Assert.That(RemoteDiffText(), Is.EqualTo("a"));

        Assert.That(Receive(0, 2, "b"), Is.EqualTo(ReceiveOutcome.Accepted));

        Assert.That(RemoteDiffText(), Is.EqualTo("b"));
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
}
