using Mosh.StateSync;

namespace Mosh.Tests.StateSync;

/// <summary>
/// The client's inbox of scrollback lines: each number taken once, and what waits (while the user's terminal shows
/// its alternate screen the session does not drain it) bounded in bytes as well as in lines, whatever a hostile
/// server sends.
/// </summary>
[TestFixture]
public class HistoryInboxTests
{
    [Test]
    public void Lines_waiting_are_bounded_in_bytes_and_the_newest_are_kept_in_order()
    {
        var inbox = new HistoryInbox();
        byte[] giant = new byte[1024 * 1024];
        for (ulong n = 0; n < 100; n++)
        {
            giant[0] = (byte)n;
            inbox.Offer(n, giant);
        }

        Assert.Multiple(() =>
        {
            Assert.That(inbox.PendingBytes, Is.LessThanOrEqualTo(HistoryInbox.MaxPendingBytes));
            Assert.That(inbox.PendingCount, Is.EqualTo((int)(HistoryInbox.MaxPendingBytes / giant.Length)));
            Assert.That(inbox.Missed, Is.EqualTo(100UL - (ulong)inbox.PendingCount));
            Assert.That(inbox.End, Is.EqualTo(100UL));
        });

        var firsts = new List<byte>();
        while (inbox.TryTake(out byte[] line))
        {
            firsts.Add(line[0]);
        }

        Assert.Multiple(() =>
        {
            Assert.That(firsts, Is.EqualTo(Enumerable.Range(100 - firsts.Count, firsts.Count).Select(i => (byte)i)));
            Assert.That(inbox.PendingBytes, Is.Zero);
        });
    }

    [Test]
    public void A_line_number_is_taken_once_and_a_gap_is_counted_as_missed()
    {
        var inbox = new HistoryInbox();
        inbox.Offer(0, "a"u8);
        inbox.Offer(0, "again"u8);
        inbox.Offer(5, "f"u8);
        inbox.Offer(3, "late"u8);
        Assert.Multiple(() =>
        {
            Assert.That(inbox.PendingCount, Is.EqualTo(2));
            Assert.That(inbox.Missed, Is.EqualTo(4UL));
            Assert.That(inbox.End, Is.EqualTo(6UL));
        });
    }
}
