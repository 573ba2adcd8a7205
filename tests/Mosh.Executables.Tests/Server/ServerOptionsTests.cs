using Mosh.Network;
using Mosh.Server;

namespace Mosh.Tests.Server;

public class ServerOptionsTests
{
    private static readonly Func<string, string?> NoEnvironment = _ => null;

    private static Parsed ParseServer(params string[] args) => Parse(args, NoEnvironment);

    private static Parsed Parse(string[] args, Func<string, string?> environment)
    {
        var r = ServerOptions.Parse(args, "mosh-server", environment);
        return new Parsed(r.Options, r.ExitStatus, r.StandardOutput, r.StandardError);
    }

    private sealed record Parsed(ServerOptions? Options, int ExitStatus, string StandardOutput, string StandardError);

    [Test]
    public void New_form_reads_every_option_and_the_command_after_the_double_dash()
    {
        var r = ParseServer("new", "-v", "-v", "-i", "10.0.0.1", "-p", "60010:60020", "-c", "256", "-l", "LANG=C.UTF-8", "-lLC_ALL=x", "--", "ls", "-l");
        Assert.That(r.Options, Is.Not.Null);
        var o = r.Options!;
        Assert.Multiple(() =>
        {
            Assert.That(o.Verbosity, Is.EqualTo(2));
            Assert.That(o.BindAddress, Is.EqualTo("10.0.0.1"));
            Assert.That(o.Ports, Is.EqualTo(new PortRange(60010, 60020)));
            Assert.That(o.Colors, Is.EqualTo(256));
            Assert.That(o.LocaleAssignments, Is.EqualTo(new[] { "LANG=C.UTF-8", "LC_ALL=x" }));
            Assert.That(o.Command, Is.EqualTo(new[] { "ls", "-l" }));
            Assert.That(r.StandardError, Is.Empty);
        });
    }

    [Test]
    public void Dash_A_asks_for_an_agent_socket_and_its_absence_does_not()
    {
        Assert.That(ParseServer("new", "-A", "-c", "8").Options!.ForwardAgent, Is.True);
        Assert.That(ParseServer("new", "-c", "8").Options!.ForwardAgent, Is.False);
    }

    [Test]
    public void No_command_or_a_trailing_double_dash_means_the_login_shell()
    {
        Assert.That(ParseServer("new").Options!.Command, Is.Null);
        Assert.That(ParseServer("new", "--").Options!.Command, Is.Null);
    }

    [Test]
    public void Dash_s_binds_to_the_server_side_address_of_SSH_CONNECTION_without_the_mapped_prefix()
    {
        var r = Parse(["new", "-s"],
            name => name == "SSH_CONNECTION" ? "192.0.2.1 50000 ::ffff:198.51.100.7 22" : null);
        Assert.That(r.Options!.BindAddress, Is.EqualTo("198.51.100.7"));
    }

    [Test]
    public void Dash_s_without_SSH_CONNECTION_warns_and_binds_to_any_interface()
    {
        var r = ParseServer("new", "-s");
        Assert.That(r.Options!.BindAddress, Is.Null);
        Assert.That(r.StandardError, Is.EqualTo("Warning: SSH_CONNECTION not found; binding to any interface.\n"));
    }

    [Test]
    public void Hidden_at_option_eats_its_argument()
    {
        var r = ParseServer("new", "-@", "new", "-c", "8");
        Assert.That(r.Options!.Colors, Is.EqualTo(8));
        Assert.That(r.StandardError, Is.Empty);
    }

    [Test]
    public void Unknown_option_prints_usage_but_does_not_stop_the_server()
    {
        var r = ParseServer("new", "-x", "-c", "8");
        Assert.That(r.Options, Is.Not.Null);
        Assert.That(r.StandardError, Does.StartWith("new: invalid option -- 'x'\nUsage: mosh-server new "));
    }

    [Test]
    public void Legacy_form_takes_address_and_port()
    {
        var r = ParseServer("127.0.0.1", "60001");
        Assert.That(r.Options!.BindAddress, Is.EqualTo("127.0.0.1"));
        Assert.That(r.Options!.Ports, Is.EqualTo(new PortRange(60001, 60001)));
        Assert.That(ParseServer().Options!.BindAddress, Is.Null);
        Assert.That(ParseServer("a", "1", "x").ExitStatus, Is.EqualTo(1));
    }

    [TestCase("abc", "Invalid (low) port number (abc)")]
    [TestCase("70000", "(Low) port number 70000 outside valid range [0..65535]")]
    [TestCase("5:x", "Invalid high port number (x)")]
    [TestCase("5:70000", "High port number 70000 outside valid range [0..65535]")]
    [TestCase("9:5", "Low port 9 greater than high port 5")]
    [TestCase("0:5", "Low port 0 incompatible with port ranges")]
    public void Bad_port_requests_are_refused_with_upstreams_explanation(string port, string complaint)
    {
        var r = ParseServer("new", "-p", port);
        Assert.That(r.Options, Is.Null);
        Assert.That(r.ExitStatus, Is.EqualTo(1));
        Assert.That(r.StandardError, Does.StartWith($"{complaint}\nmosh-server: Bad UDP port range ({port})\nUsage: "));
    }

    [TestCase("x")]
    [TestCase("12z")]
    [TestCase("99999999999999999999")]
    public void Bad_colour_count_is_refused(string colors)
    {
        var r = ParseServer("new", "-c", colors);
        Assert.That(r.ExitStatus, Is.EqualTo(1));
        Assert.That(r.StandardError, Does.StartWith($"mosh-server: Bad number of colors ({colors})\nUsage: "));
    }

    [Test]
    public void Help_and_version_win_wherever_they_appear_before_the_command()
    {
        Assert.That(ParseServer("new", "-c", "8", "-h").StandardOutput, Does.StartWith("Usage: mosh-server new"));
        Assert.That(ParseServer("--help").ExitStatus, Is.EqualTo(0));
        Assert.That(ParseServer("new", "--version").StandardOutput, Does.StartWith("mosh-server (Mosh for .NET) "));
        Assert.That(ParseServer("new", "--", "grep", "--help").Options!.Command, Is.EqualTo(new[] { "grep", "--help" }));
    }
}
