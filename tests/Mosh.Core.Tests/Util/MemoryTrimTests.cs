using Mosh.Util;

namespace Mosh.Tests.Util;

[TestFixture]
public class MemoryTrimTests
{
    private long _allocated;
    private int _collected;

    [SetUp]
    public void ResetCounters()
    {
        _allocated = 0;
        _collected = 0;
    }

    private MemoryTrim NewTrim() => new(() => _allocated, () => _collected++);

    [Test]
    public void Nothing_allocated_means_no_collection_and_no_wake_up()
    {
        MemoryTrim trim = NewTrim();
        _allocated += MemoryTrim.AllocatedBytesThreshold - 1;
        Assert.Multiple(() =>
        {
            Assert.That(trim.Service(0), Is.False);
            Assert.That(trim.WaitTime(0), Is.EqualTo(long.MaxValue));
            Assert.That(_collected, Is.Zero);
        });
    }

    [Test]
    public void A_burst_of_allocation_is_collected_at_once_then_at_most_once_an_interval()
    {
        MemoryTrim trim = NewTrim();
        _allocated += MemoryTrim.AllocatedBytesThreshold;
        Assert.That(trim.WaitTime(5000), Is.Zero);
        Assert.That(trim.Service(5000), Is.True);
        Assert.That(_collected, Is.EqualTo(1));

        // Allocating on: the next collection waits for the interval, and the session loop is told when to wake for it.
        _allocated += 3 * MemoryTrim.AllocatedBytesThreshold;
        Assert.That(trim.Service(5000 + MemoryTrim.IntervalMs - 1), Is.False);
        Assert.That(trim.WaitTime(5000 + (MemoryTrim.IntervalMs / 4)), Is.EqualTo(MemoryTrim.IntervalMs - (MemoryTrim.IntervalMs / 4)));
        Assert.That(trim.Service(5000 + MemoryTrim.IntervalMs), Is.True);
        Assert.That(_collected, Is.EqualTo(2));

        // Counted from the last collection: the bytes before it do not make another due.
        Assert.That(trim.Service(5000 + (10 * MemoryTrim.IntervalMs)), Is.False);
        Assert.That(_collected, Is.EqualTo(2));
    }

    [Test]
    public void The_real_collection_after_garbage_is_a_full_compacting_one()
    {
        var trim = new MemoryTrim();
        var keep = new List<byte[]>();
        for (int i = 0; i < 4000; i++)
        {
            byte[] garbage = new byte[2048]; // 8 MB of short-lived rows, as a flood's snapshots leave behind
            if (i % 400 == 0)
            {
                keep.Add(garbage);
            }
        }

        int before = GC.CollectionCount(GC.MaxGeneration);
        Assert.That(trim.Service(Environment.TickCount64), Is.True);
        Assert.That(GC.CollectionCount(GC.MaxGeneration), Is.GreaterThan(before));
        GCMemoryInfo info = GC.GetGCMemoryInfo(GCKind.Any);
        Assert.That(info.Compacted, Is.True, "a compacting full collection");
        GC.KeepAlive(keep);
    }
}
