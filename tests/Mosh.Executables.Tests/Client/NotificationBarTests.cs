using Mosh.Client;
using Mosh.Terminal;

namespace Mosh.Tests.Client;

public class NotificationBarTests
{
    private static NotificationBar NewBar(long now = 0)
    {
        var bar = new NotificationBar(now);
        bar.SetEscapeKeyName("Ctrl-^");
        return bar;
    }

    [Test]
    public void Nothing_is_drawn_while_the_server_is_heard_and_no_message_is_set()
    {
        Assert.That(NewBar().Text(6500), Is.Null);
    }

    [Test]
    public void After_six_and_a_half_seconds_of_silence_the_bar_counts_the_seconds_since_last_contact()
    {
        Assert.That(NewBar().Text(7200), Is.EqualTo("mosh: Last contact 7 seconds ago. [To quit: Ctrl-^ .]"));
    }

    [Test]
    public void When_only_acks_are_missing_the_bar_reports_the_last_reply()
    {
        NotificationBar bar = NewBar();
        bar.ServerHeard(11000);
        Assert.That(bar.Text(12000), Is.EqualTo("mosh: Last reply 12 seconds ago. [To quit: Ctrl-^ .]"));
    }

    [Test]
    public void A_message_with_silence_shows_both_with_short_units()
    {
        NotificationBar bar = NewBar();
        bar.SetMessage("Exiting...", 0, permanent: true);
        Assert.That(bar.Text(100), Is.EqualTo("mosh: Exiting... [To quit: Ctrl-^ .]"));
        Assert.That(bar.Text(65000), Is.EqualTo("mosh: Exiting... (1:05 without contact.) [To quit: Ctrl-^ .]"));
    }

    [Test]
    public void A_temporary_message_expires_after_one_second()
    {
        NotificationBar bar = NewBar();
        bar.SetMessage("hello", 0);
        bar.Expire(999);
        Assert.That(bar.Message, Is.EqualTo("hello"));
        bar.Expire(1000);
        Assert.That(bar.Message, Is.Empty);
    }

    [Test]
    public void The_help_text_can_hide_the_quit_keystroke()
    {
        NotificationBar bar = NewBar();
        bar.SetMessage("Commands: ...", 0, permanent: true, showQuitKeystroke: false);
        Assert.That(bar.Text(0), Is.EqualTo("mosh: Commands: ..."));
    }

    [TestCase(59, "59 seconds")]
    [TestCase(60, "1:00")]
    [TestCase(3599, "59:59")]
    [TestCase(3600, "1:00:00")]
    [TestCase(86399, "23:59:59")]
    public void Durations_read_as_upstream_writes_them(int seconds, string expected)
    {
        Assert.That(NotificationBar.Duration(seconds, "seconds"), Is.EqualTo(expected));
    }

    [Test]
    public void The_bar_overwrites_the_top_row_white_on_blue_bold_and_hides_a_cursor_under_it()
    {
        var frame = new Framebuffer(60, 3);
        NotificationBar bar = NewBar();
        bar.SetMessage("Hi", 0, permanent: true);
        bar.Apply(frame, 0);

        Row top = frame.GetRow(0);
        Assert.Multiple(() =>
        {
            Assert.That(top.GetTextString(6), Is.EqualTo("H"));
            Assert.That(top[6].Renditions.Has(TextAttributes.Bold), Is.True);
            Assert.That(top[6].Renditions.Foreground, Is.EqualTo(TerminalColor.Indexed(7)));
            Assert.That(top[59].Renditions.Background, Is.EqualTo(TerminalColor.Indexed(4)));
            Assert.That(top[59].Renditions.Has(TextAttributes.Bold), Is.False);
            Assert.That(frame.State.CursorVisible, Is.False);
        });
    }

    [Test]
    public void The_bar_text_is_cut_at_the_screen_width()
    {
        var frame = new Framebuffer(10, 2);
        NotificationBar bar = NewBar();
        bar.SetMessage("a long message", 0, permanent: true);
        bar.Apply(frame, 0);
        Assert.That(frame.GetRow(0).ToString(), Does.StartWith("mosh: a lo"));
    }

    [Test]
    public void Counting_up_refreshes_every_second_then_every_three_after_a_minute()
    {
        NotificationBar bar = NewBar();
        Assert.That(bar.WaitTime(7000), Is.EqualTo(1000));
        Assert.That(bar.WaitTime(61000), Is.EqualTo(3000));
    }

    [Test]
    public void An_expired_message_asks_for_no_more_wakeups()
    {
        // The client's loop sleeps for the bar's wait time: a wait of 0 after a message expired made it spin at full
        // CPU for the rest of the session (seen after a network error was cleared).
        NotificationBar bar = NewBar();
        bar.ServerHeard(0);
        bar.SetMessage("forwarding: 127.0.0.1:9 failed", 0, lifetimeMs: 1000);
        Assert.That(bar.WaitTime(400), Is.EqualTo(600));
        bar.ServerHeard(1500);
        bar.Expire(1500);
        Assert.That(bar.Text(1500), Is.Null);
        Assert.That(bar.WaitTime(1600), Is.GreaterThan(1000), "nothing left to expire");

        bar.SetNetworkError("Network is unreachable.", 2000);
        bar.ServerHeard(2500);
        bar.ClearNetworkError(2500);
        bar.Expire(3600);
        Assert.That(bar.WaitTime(3700), Is.GreaterThan(1000), "nor after a network error went away");
    }
}
