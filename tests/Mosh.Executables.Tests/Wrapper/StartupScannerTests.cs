using Mosh.Wrapper;

namespace Mosh.Tests.Wrapper;

public class StartupScannerTests
{
    private const string Key = "abcdefghijklmnopqrstuv";

    [Test]
    public void Reads_ip_and_connect_lines_even_with_carriage_returns_from_a_pty()
    {
        var s = new StartupScanner("mosh", null);
        Assert.That(s.Accept("MOSH IP 192.0.2.9"), Is.EqualTo(StartupLineKind.Recorded));
        Assert.That(s.Accept("Welcome to the server\r"), Is.EqualTo(StartupLineKind.Relay));
        Assert.That(s.Accept($"MOSH CONNECT 60004 {Key}\r"), Is.EqualTo(StartupLineKind.Connect));
        Assert.That((s.Ip, s.Port, s.Key), Is.EqualTo(("192.0.2.9", "60004", Key)));
    }

    [Test]
    public void Ssh_connection_line_gives_the_server_address()
    {
        var s = new StartupScanner("mosh", null);
        Assert.That(s.Accept("MOSH SSH_CONNECTION 192.0.2.1 51000 198.51.100.2 22\r"), Is.EqualTo(StartupLineKind.Recorded));
        Assert.That(s.SshConnectionIp, Is.EqualTo("198.51.100.2"));
    }

    [TestCase("MOSH CONNECT 60001 short", "Bad MOSH CONNECT string: MOSH CONNECT 60001 short")]
    [TestCase("MOSH CONNECT x abcdefghijklmnopqrstuv", "Bad MOSH CONNECT string: MOSH CONNECT x abcdefghijklmnopqrstuv")]
    [TestCase("MOSH IP a b", "Bad MOSH IP string: MOSH IP a b")]
    [TestCase("MOSH SSH_CONNECTION 1 2 3", "Bad MOSH SSH_CONNECTION string: MOSH SSH_CONNECTION 1 2 3")]
    public void Malformed_mosh_lines_are_errors(string line, string error)
    {
        var s = new StartupScanner("mosh", null);
        Assert.That(s.Accept(line), Is.EqualTo(StartupLineKind.Error));
        Assert.That(s.Error, Is.EqualTo(error));
    }

    [Test]
    public void A_second_ip_line_is_an_error()
    {
        var s = new StartupScanner("mosh", null);
        s.Accept("MOSH IP 192.0.2.9");
        Assert.That(s.Accept("MOSH IP 192.0.2.10"), Is.EqualTo(StartupLineKind.Error));
        Assert.That(s.Error, Is.EqualTo("mosh error: detected attempt to redefine MOSH IP."));
    }

    [Test]
    public void Bad_udp_port_complaint_is_noticed_only_for_port_ranges()
    {
        var ranged = new StartupScanner("mosh", "60000:60010");
        ranged.Accept("mosh-server: Bad UDP port range (60000:60010)");
        Assert.That(ranged.SawBadUdpPortWarning, Is.True);
        var single = new StartupScanner("mosh", "60000");
        single.Accept("mosh-server: Bad UDP port range (60000)");
        Assert.That(single.SawBadUdpPortWarning, Is.False);
    }
}
