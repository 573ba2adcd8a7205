using Mosh.Util;

namespace Mosh.Tests.Util;

[TestFixture]
public class WakePipeTests
{
    private static bool Readable(int fd)
    {
        Span<PollDescriptor> set = [new(fd, PollEvents.Readable)];
        return Poll.Wait(set, 0) == 1 && set[0].IsReadReady;
    }

    [Test]
    public void A_signal_from_another_thread_makes_it_readable_until_drained_however_often_it_came()
    {
        using var wake = new WakePipe();
        Assert.That(Readable(wake.Fd), Is.False);

        var threads = Enumerable.Range(0, 4).Select(_ => new Thread(() =>
        {
            for (int i = 0; i < 20_000; i++) // 80 000 in all, more bytes than a pipe holds: a full pipe must not block
            {
                wake.Signal();
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.That(Readable(wake.Fd), Is.True);
        wake.Drain();
        Assert.That(Readable(wake.Fd), Is.False);
    }

    [Test]
    public void A_signal_after_dispose_writes_nothing_even_where_the_descriptor_numbers_were_reused()
    {
        var old = new WakePipe();
        int oldRead = old.Fd;
        old.Dispose();
        using var next = new WakePipe(); // the lowest free numbers: the ones the old pipe just gave back
        Assume.That(next.Fd, Is.EqualTo(oldRead), "another thread took the freed descriptor numbers");

        old.Signal();

        Assert.That(Readable(next.Fd), Is.False);
    }
}
