using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Mosh.Util;

namespace Mosh.Tests.Util;

/// <summary>syslog(3) through our binding. Where no syslog daemon owns /dev/log (a bare container), the test takes
/// its place for a moment (tests run as root) to see the datagram glibc sends.</summary>
[TestFixture]
[NonParallelizable]
public partial class SyslogTests
{
    private const string DevLog = "/dev/log";

    [Test]
    public void Without_a_syslog_daemon_logging_returns_quietly()
    {
        if (new FileInfo(DevLog).Attributes != (FileAttributes)(-1))
        {
            Assert.Ignore("a syslog socket exists here");
        }
        Assert.DoesNotThrow(() => Syslog.Info("user nobody session begin"));
    }

    [Test]
    public void A_message_goes_to_dev_log_at_user_info_priority_tagged_with_the_program_name()
    {
        if (new FileInfo(DevLog).Attributes != (FileAttributes)(-1))
        {
            Assert.Ignore("a syslog daemon owns /dev/log here");
        }
        using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        try
        {
            socket.Bind(new UnixDomainSocketEndPoint(DevLog));
        }
        catch (SocketException e)
        {
            Assert.Ignore($"cannot listen on {DevLog}: {e.Message}");
        }
        try
        {
            socket.ReceiveTimeout = 5000;
            Syslog.Info("user alice connected from host: 192.0.2.1 %s%n");
            byte[] buffer = new byte[2048];
            int length = socket.Receive(buffer);
            string message = Encoding.UTF8.GetString(buffer, 0, length);
            // LOG_USER (8) | LOG_INFO (6) = 14; the text is passed through "%s", so its % signs are not a format.
            Assert.That(message, Does.Match(SyslogLine()));
        }
        finally
        {
            File.Delete(DevLog);
        }
    }

    [GeneratedRegex(@"^<14>[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d [^:\s]+: user alice connected from host: 192\.0\.2\.1 %s%n$")]
    private static partial Regex SyslogLine();
}
