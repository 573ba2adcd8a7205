using Mosh.Server;

namespace Mosh.Tests.Server;

/// <summary>The syslog lines of upstream's --enable-syslog build, word for word.</summary>
public class SessionLogTests
{
    [Test]
    public void Session_begin_connection_and_end_read_as_upstreams_syslog_lines()
    {
        Assert.Multiple(() =>
        {
            Assert.That(SessionLog.BeginText("alice"), Is.EqualTo("user alice session begin"));
            Assert.That(SessionLog.ConnectedText("alice", "192.0.2.1"), Is.EqualTo("user alice connected from host: 192.0.2.1"));
            Assert.That(SessionLog.EndText("alice"), Is.EqualTo("user alice session end"));
        });
    }
}
