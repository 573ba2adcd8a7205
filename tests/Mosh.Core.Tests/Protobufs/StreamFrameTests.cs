using System.Buffers;
using Mosh.Protobufs;

namespace Mosh.Tests.Protobufs;

[TestFixture]
public class StreamFrameTests
{
    private static byte[] Entry(uint id, StreamFrameKind kind, byte[]? data = null, ulong value = 0)
    {
        var output = new ArrayBufferWriter<byte>();
        new StreamFrame(id, kind, data, value).WriteEntry(output);
        return output.WrittenSpan.ToArray();
    }

    [Test]
    public void A_frame_round_trips_through_its_entry()
    {
        byte[] entry = Entry(7, StreamFrameKind.Data, [1, 2, 3], 99);
        ReadOnlySpan<byte> entries = entry;
        Assert.That(StreamFramesMessage.TryReadEntry(ref entries, out ReadOnlySpan<byte> content, out int size), Is.True);
        Assert.That(size, Is.EqualTo(entry.Length));
        Assert.That(StreamFrame.TryParse(content, out StreamFrame frame), Is.True);
        Assert.That((frame.Id, frame.Kind, frame.Data.ToArray(), frame.Value),
            Is.EqualTo((7u, StreamFrameKind.Data, new byte[] { 1, 2, 3 }, 99UL)));
    }

    [TestCase(new byte[] { 0x08, 0x00, 0x10, 0x02 }, TestName = "Stream id 0 does not parse")]
    [TestCase(new byte[] { 0x08, 0x01, 0x10, 0x09 }, TestName = "An unknown frame kind does not parse")]
    [TestCase(new byte[] { 0x08, 0x01, 0x10, 0x02, 0x1a, 0x05, 0x01 }, TestName = "Truncated frame data does not parse")]
    [TestCase(new byte[] { 0xff }, TestName = "A broken tag does not parse")]
    public void Garbage_frames_do_not_parse(byte[] content) =>
        Assert.That(StreamFrame.TryParse(content, out _), Is.False);

    [Test]
    public void A_body_with_start_and_entries_splits_into_both()
    {
        byte[] entries = [.. Entry(1, StreamFrameKind.Open, "h:1"u8.ToArray()), .. Entry(1, StreamFrameKind.Close)];
        var body = new ArrayBufferWriter<byte>();
        StreamFramesMessage.Write(12345, entries, body);
        Assert.That(StreamFramesMessage.TryParse(body.WrittenSpan, out ulong start, out ReadOnlySpan<byte> parsed), Is.True);
        Assert.That(start, Is.EqualTo(12345));
        Assert.That(parsed.ToArray(), Is.EqualTo(entries));
    }

    [Test]
    public void A_body_with_a_foreign_field_among_the_entries_is_malformed()
    {
        byte[] body = [.. Entry(1, StreamFrameKind.Close), 0x18, 0x01];
        Assert.That(StreamFramesMessage.TryParse(body, out _, out _), Is.False);
    }
}
