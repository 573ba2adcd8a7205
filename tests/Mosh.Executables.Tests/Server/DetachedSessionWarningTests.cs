using Mosh.Server;
using Mosh.Util;

namespace Mosh.Tests.Server;

/// <summary>Which utmp entries count as detached sessions and upstream's exact wording for one and for several.</summary>
public class DetachedSessionWarningTests
{
    private const string Own = "mosh [100]";

    private static string? Compose(params UtmpLogin[] logins) =>
        DetachedSessionWarning.Compose("alice", Own, logins, line => line != "pts/gone");

    [Test]
    public void One_detached_session_is_named_in_a_white_on_blue_line_followed_by_a_blank_line_and_how_to_attach_it()
    {
        Assert.That(Compose(new UtmpLogin("alice", "pts/1", "mosh [4242]")),
            Is.EqualTo("\x1b[37;44mMosh: You have a detached Mosh session on this server (mosh [4242]).\x1b[m\n\n"
                + "Mosh: take it over from any client with: mosh --attach=4242 [user@]host\n\n"));
    }

    [Test]
    public void Several_detached_sessions_are_counted_and_listed_in_utmp_order_then_how_to_attach_one()
    {
        Assert.That(Compose(new UtmpLogin("alice", "pts/1", "mosh [7]"), new UtmpLogin("alice", "pts/2", "mosh [5]")),
            Is.EqualTo("\x1b[37;44mMosh: You have 2 detached Mosh sessions on this server, with PIDs:\n" +
                "        - mosh [7]\n        - mosh [5]\n\x1b[m\n" +
                "Mosh: take one over with: mosh --attach=PID [user@]host (mosh --list [user@]host shows them)\n\n"));
    }

    [Test]
    public void Attached_own_other_users_vanished_terminals_and_other_hosts_do_not_count()
    {
        Assert.That(Compose(
            new UtmpLogin("alice", "pts/1", "192.0.2.1 via mosh [7]"),
            new UtmpLogin("alice", "pts/2", Own),
            new UtmpLogin("bob", "pts/3", "mosh [8]"),
            new UtmpLogin("alice", "pts/gone", "mosh [9]"),
            new UtmpLogin("alice", "pts/4", "tmux(55).%0"),
            new UtmpLogin("alice", "pts/5", "mosh [10")), Is.Null);
    }
}
