using System.Buffers;
using Mosh.Protobufs;
using Mosh.StateSync;

namespace Mosh.Tests.StateSync;

[TestFixture]
public class StreamLogTests
{
    internal static byte[] DataEntry(uint id, int length, byte fill = 0x41)
    {
        var output = new ArrayBufferWriter<byte>();
        byte[] data = new byte[length];
        Array.Fill(data, fill);
        new StreamFrame(id, StreamFrameKind.Data, data).WriteEntry(output);
        return output.WrittenSpan.ToArray();
    }

    [Test]
    public void The_cut_stops_at_an_entry_boundary_within_the_budget_but_takes_at_least_one_entry()
    {
        var log = new StreamLog();
        byte[] entry = DataEntry(1, 1000);
        for (int i = 0; i < 5; i++)
        {
            log.Append(entry);
        }

        Assert.Multiple(() =>
        {
            Assert.That(log.CutAt(0, log.End, 2500), Is.EqualTo((ulong)(2 * entry.Length)));
            Assert.That(log.CutAt(0, log.End, 10), Is.EqualTo((ulong)entry.Length), "one entry even over budget");
            Assert.That(log.CutAt((ulong)entry.Length, log.End, 100_000), Is.EqualTo(log.End));
        });
    }

    [Test]
    public void Acknowledged_entries_are_dropped_and_offsets_stay_absolute()
    {
        var log = new StreamLog();
        byte[] a = DataEntry(1, 10, 0x61);
        byte[] b = DataEntry(1, 20, 0x62);
        log.Append(a);
        log.Append(b);
        log.DropBefore((ulong)a.Length);
        Assert.Multiple(() =>
        {
            Assert.That(log.First, Is.EqualTo((ulong)a.Length));
            Assert.That(log.Length, Is.EqualTo(b.Length));
            Assert.That(log.Slice(0, log.End).ToArray(), Is.EqualTo(b), "a slice from before the kept part is clamped");
        });
    }

    [Test]
    public void The_inbox_delivers_each_entry_once_whatever_overlapping_slices_arrive()
    {
        byte[] a = DataEntry(1, 10, 0x61);
        byte[] b = DataEntry(1, 20, 0x62);
        byte[] c = DataEntry(1, 30, 0x63);
        var inbox = new StreamInbox();
        inbox.Offer(0, [.. a, .. b]);
        inbox.Offer(0, [.. a, .. b, .. c]); // a retransmission from an older state
        inbox.Offer((ulong)a.Length, [.. b, .. c]);
        Assert.That(inbox.Pending.ToArray(), Is.EqualTo((byte[])[.. a, .. b, .. c]));
        Assert.That(inbox.Missed, Is.Zero);
    }
}
