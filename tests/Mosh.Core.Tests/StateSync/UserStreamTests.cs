using System.Buffers;
using CsCheck;
using Mosh.StateSync;
using Mosh.Tests.Protobufs.Oracle;

namespace Mosh.Tests.StateSync;

[TestFixture]
public class UserStreamTests
{
    private static byte[] Diff(UserStream current, UserStream existing) => SyncDiffs.Diff(current, existing);

    private static byte[] InitDiff(UserStream stream)
    {
        var output = new ArrayBufferWriter<byte>();
        stream.InitDiff(output);
        return output.WrittenSpan.ToArray();
    }

    private static UserStream Keys(string typed)
    {
        var stream = new UserStream();
        stream.PushKeystrokes(System.Text.Encoding.ASCII.GetBytes(typed));
        return stream;
    }

    private static List<UserEvent> Events(UserStream stream)
    {
        var events = new List<UserEvent>();
        for (int i = 0; i < stream.Count; i++)
        {
            events.Add(stream[i]);
        }

        return events;
    }

    /// <summary>Random event scripts, two thirds keystrokes (so runs form) and one third resizes.</summary>
    private static readonly Gen<UserEvent[]> Script =
        Gen.OneOf(
                Gen.Byte.Select(UserEvent.ForKey),
                Gen.Byte.Select(UserEvent.ForKey),
                Gen.Select(Gen.Int[-5, 500], Gen.Int[-5, 300]).Select(t => UserEvent.ForResize(t.Item1, t.Item2)))
            .Array[0, 60];

    private static UserStream Build(ReadOnlySpan<UserEvent> events)
    {
        var stream = new UserStream();
        foreach (UserEvent e in events)
        {
            if (e.Kind == UserEventKind.Keystroke)
            {
                stream.PushKeystroke(e.Key);
            }
            else
            {
                stream.PushResize(e.Width, e.Height);
            }
        }

        return stream;
    }

    [Test]
    public void Diff_MergesConsecutiveKeystrokesIntoOneInstruction_AndGivesEachResizeItsOwn()
    {
        var stream = new UserStream();
        stream.PushKeystroke((byte)'a');
        stream.PushKeystroke((byte)'b');
        stream.PushResize(80, 24);
        stream.PushResize(100, 40);
        stream.PushKeystroke((byte)'c');

        byte[] expected =
        [
            0x0A, 0x06, 0x12, 0x04, 0x22, 0x02, (byte)'a', (byte)'b', // Instruction{ keystroke{ keys "ab" } }
            0x0A, 0x06, 0x1A, 0x04, 0x28, 80, 0x30, 24,              // Instruction{ resize{ width 80, height 24 } }
            0x0A, 0x06, 0x1A, 0x04, 0x28, 100, 0x30, 40,             // Instruction{ resize{ width 100, height 40 } }
            0x0A, 0x05, 0x12, 0x03, 0x22, 0x01, (byte)'c',           // Instruction{ keystroke{ keys "c" } }
        ];
        Assert.That(InitDiff(stream), Is.EqualTo(expected));
        Assert.That(Diff(stream, new UserStream()), Is.EqualTo(expected));
    }

    [Test]
    public void Diff_IsWhatGoogleProtobufReadsAsUpstreamsUserMessage()
    {
        var stream = Keys("ls -l");
        stream.PushResize(132, 43);
        stream.PushKeystrokes([0x0D, 0x1B, (byte)'[', (byte)'A']);

        OracleUserMessage parsed = OracleUserMessage.Parser.ParseFrom(InitDiff(stream));

        Assert.That(parsed.Instruction, Has.Count.EqualTo(3));
        Assert.That(parsed.Instruction[0].Keystroke.Keys.ToStringUtf8(), Is.EqualTo("ls -l"));
        Assert.That(parsed.Instruction[0].Resize, Is.Null);
        Assert.That(parsed.Instruction[1].Resize.Width, Is.EqualTo(132));
        Assert.That(parsed.Instruction[1].Resize.Height, Is.EqualTo(43));
        Assert.That(parsed.Instruction[1].Keystroke, Is.Null);
        Assert.That(parsed.Instruction[2].Keystroke.Keys.ToByteArray(), Is.EqualTo(new byte[] { 0x0D, 0x1B, (byte)'[', (byte)'A' }));
    }

    [Test]
    public void DiffFrom_CarriesOnlyTheEventsAfterTheExistingPrefix_EvenMidRun()
    {
        UserStream existing = Keys("ab");
        UserStream current = Keys("abcd");

        byte[] expected = [0x0A, 0x06, 0x12, 0x04, 0x22, 0x02, (byte)'c', (byte)'d'];
        Assert.That(Diff(current, existing), Is.EqualTo(expected));
        Assert.That(Diff(current, current.Clone()), Is.Empty);
    }

    [Test]
    public void ApplyingADiffToTheOlderState_ReproducesTheNewerState()
    {
        Gen.Select(Script, Gen.Int[0, 100]).Sample((events, cut) =>
        {
            int split = events.Length == 0 ? 0 : cut % (events.Length + 1);
            UserStream older = Build(events.AsSpan(0, split));
            UserStream newer = Build(events);

            UserStream rebuilt = older.Clone();
            Assert.That(rebuilt.TryApply(Diff(newer, older)), Is.True);

            Assert.That(rebuilt, Is.EqualTo(newer));
            Assert.That(Events(rebuilt), Is.EqualTo(events));
            Assert.That(InitDiff(rebuilt), Is.EqualTo(InitDiff(newer)));
        }, iter: 500);
    }

    [Test]
    public void SubtractingAPrefix_LeavesExactlyTheLaterEvents_AndDiffsStayConsistent()
    {
        Gen.Select(Script, Gen.Int[0, 100], Gen.Int[0, 100]).Sample((events, c1, c2) =>
        {
            int acked = events.Length == 0 ? 0 : c1 % (events.Length + 1);
            int sent = acked + (events.Length - acked == 0 ? 0 : c2 % (events.Length - acked + 1));
            UserStream ackedState = Build(events.AsSpan(0, acked));
            UserStream sentState = Build(events.AsSpan(0, sent));
            UserStream current = Build(events);

            current.Subtract(ackedState);
            sentState.Subtract(ackedState);
            ackedState.Subtract(ackedState);

            Assert.That(Events(current), Is.EqualTo(events[acked..]));
            Assert.That(current.Start, Is.EqualTo(acked));
            Assert.That(ackedState.IsEmpty, Is.True);
            Assert.That(ackedState.End, Is.EqualTo(acked), "an emptied state keeps its place");
            Assert.That(Diff(current, sentState), Is.EqualTo(Diff(Build(events), Build(events.AsSpan(0, sent)))));
        }, iter: 500);
    }

    [Test]
    public void Subtract_GoesByPosition_RemovingAsManyEventsAsThePrefixReaches()
    {
        UserStream stream = Keys("hello");
        stream.Subtract(Keys("help"));

        Assert.That(Events(stream), Is.EqualTo(new[] { UserEvent.ForKey((byte)'o') }));
        Assert.That(stream.Start, Is.EqualTo(4));
    }

    [Test]
    public void Subtract_OfALongerState_LeavesAnEmptyStateAtItsOwnEnd_NotAtTheLongerOnes()
    {
        // A frame cut short after a timeout, when a longer one sent before it is acknowledged: what stays must be
        // counted from its own end, or later diffs against it would repeat or skip events.
        UserStream shorter = Keys("ab");
        UserStream longer = Keys("abcd");
        UserStream current = Keys("abcdef");

        shorter.Subtract(longer);
        current.Subtract(longer);

        Assert.That((shorter.Start, shorter.Count), Is.EqualTo((2L, 0)));
        Assert.That(shorter.IsBehind(current), Is.True);
        Assert.That(Diff(current, longer), Is.EqualTo(Diff(Keys("abcdef"), Keys("abcd"))));
    }

    [Test]
    public void DiffFrom_CarriesTheEventsPastTheExistingStatesEnd_WhateverItHolds()
    {
        byte[] expected = [0x0A, 0x05, 0x12, 0x03, 0x22, 0x01, (byte)'o'];

        Assert.That(Diff(Keys("hello"), Keys("help")), Is.EqualTo(expected));
        Assert.That(Diff(Keys("help"), Keys("hello")), Is.Empty, "a state behind the existing one adds nothing");
    }

    [Test]
    public void ApplyingAMalformedDiff_IsRefusedAndChangesNothing()
    {
        UserStream stream = Keys("x");
        byte[] truncated = [0x0A, 0x06, 0x12, 0x04, 0x22, 0x02, (byte)'a'];

        Assert.That(stream.TryApply(truncated), Is.False);
        Assert.That(stream, Is.EqualTo(Keys("x")));
    }

    [Test]
    public void StreamsWithTheSameEventsAtTheSamePlace_AreEqualHoweverTheyWereBuilt()
    {
        var byteByByte = new UserStream();
        foreach (char c in "typing")
        {
            byteByByte.PushKeystroke((byte)c);
        }

        UserStream subtracted = Keys("xxtyping");
        subtracted.Subtract(Keys("xx"));
        UserStream sameAfterPushing = Keys("yy");
        sameAfterPushing.Subtract(sameAfterPushing);
        sameAfterPushing.PushKeystrokes("typing"u8);

        Assert.That(byteByByte, Is.EqualTo(Keys("typing")));
        Assert.That(subtracted, Is.EqualTo(sameAfterPushing));
        Assert.That(subtracted.GetHashCode(), Is.EqualTo(Keys("typing").GetHashCode()));
        Assert.That(subtracted, Is.Not.EqualTo(Keys("typing")), "the same events further into the stream are another state");
        Assert.That(Keys("typing"), Is.Not.EqualTo(Keys("typinG")));
        var resized = Keys("typing");
        resized.PushResize(1, 2);
        Assert.That(resized, Is.Not.EqualTo(Keys("typing")));
    }

    [Test]
    public void Clone_IsIndependentOfTheOriginal()
    {
        UserStream original = Keys("ab");
        UserStream copy = original.Clone();
        copy.PushKeystroke((byte)'c');
        original.PushResize(1, 1);

        Assert.That(Events(copy), Is.EqualTo(new[] { UserEvent.ForKey((byte)'a'), UserEvent.ForKey((byte)'b'), UserEvent.ForKey((byte)'c') }));
        Assert.That(Events(original)[2], Is.EqualTo(UserEvent.ForResize(1, 1)));
    }

    [Test]
    public void Enumeration_YieldsKeystrokeRunsAsSpansAndResizesInOrder()
    {
        UserStream stream = Keys("ab");
        stream.PushResize(10, 20);
        stream.PushKeystrokes("cde"u8);
        stream.Subtract(Keys("a"));

        var seen = new List<string>();
        foreach (UserEventRun run in stream)
        {
            seen.Add(run.Kind == UserEventKind.Resize ? $"resize {run.Width}x{run.Height}" : System.Text.Encoding.ASCII.GetString(run.Keys));
        }

        Assert.That(seen, Is.EqualTo(new[] { "b", "resize 10x20", "cde" }));
    }

    [Test]
    public void TypingAndAcknowledging_DoesNotAllocateOnceWarm()
    {
        var stream = new UserStream();
        var prefix = new UserStream();
        for (int i = 0; i < 100; i++)
        {
            stream.PushKeystroke((byte)i);
        }

        stream.Subtract(stream);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            stream.PushKeystroke((byte)i);
            if (i % 50 == 49)
            {
                stream.Subtract(stream);
            }
        }

        stream.Subtract(prefix);
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }
}
