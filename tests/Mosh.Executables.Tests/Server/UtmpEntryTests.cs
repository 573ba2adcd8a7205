using System.Net;
using Mosh.Server;

namespace Mosh.Tests.Server;

/// <summary>The server's utmp entry transitions, recorded instead of written (the E2E <see cref="UtmpTests"/>
/// prove the real file).</summary>
public class UtmpEntryTests
{
    private readonly List<string> _calls = [];

    [SetUp]
    public void ForgetCalls() => _calls.Clear();

    private UtmpEntry NewEntry() => new(4242, host => _calls.Add("add " + host), () => _calls.Add("remove"));

    [Test]
    public void A_session_starts_detached_and_names_its_client_once_attached()
    {
        UtmpEntry entry = NewEntry();
        entry.Open();
        Assert.That(entry.Attach(1, IPAddress.Parse("192.0.2.7")), Is.EqualTo("192.0.2.7"), "the address for syslog");
        Assert.That(_calls, Is.EqualTo(new[] { "add mosh [4242]", "remove", "add 192.0.2.7 via mosh [4242]" }));
    }

    [Test]
    public void The_entry_goes_back_to_detached_only_after_more_than_30_seconds_without_a_client_state()
    {
        UtmpEntry entry = NewEntry();
        entry.Open();
        entry.Attach(1, IPAddress.Loopback);
        _calls.Clear();
        entry.Tick(UtmpEntry.DetachedAfterMs);
        Assert.That(_calls, Is.Empty);
        entry.Tick(UtmpEntry.DetachedAfterMs + 1);
        entry.Tick(UtmpEntry.DetachedAfterMs + 5000);
        Assert.That(_calls, Is.EqualTo(new[] { "remove", "add mosh [4242]" }), "rewritten once");
    }

    [Test]
    public void IPv6_clients_are_written_in_numeric_form()
    {
        Assert.That(UtmpEntry.AttachedText(IPAddress.Parse("2001:db8:0:0::1"), 9), Is.EqualTo("2001:db8::1 via mosh [9]"));
        Assert.That(UtmpEntry.AttachedText(IPAddress.Parse("::ffff:10.1.2.3"), 9), Is.EqualTo("::ffff:10.1.2.3 via mosh [9]"));
    }

    [Test]
    public void Closing_removes_the_entry_once_and_only_if_it_was_written()
    {
        UtmpEntry never = NewEntry();
        never.Close();
        Assert.That(_calls, Is.Empty);

        UtmpEntry entry = NewEntry();
        entry.Open();
        entry.Close();
        entry.Close();
        Assert.That(_calls, Is.EqualTo(new[] { "add mosh [4242]", "remove" }));
    }
}
