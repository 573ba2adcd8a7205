using Mosh.Wrapper;

namespace Mosh.Tests.Wrapper;

public class WrapperOptionsTests
{
    private sealed record Parsed(WrapperOptions? Options, int ExitStatus, string StandardOutput, string StandardError);

    private static Parsed ParseWith(string? predictionDisplay, params string[] args)
    {
        var r = WrapperOptions.Parse(args, "mosh", predictionDisplay);
        return new Parsed(r.Options, r.ExitStatus, r.StandardOutput, r.StandardError);
    }

    private static Parsed ParseWrapper(params string[] args) => ParseWith(null, args);

    [Test]
    public void Capital_L_takes_local_forwards_while_lowercase_l_stays_local()
    {
        WrapperOptions o = ParseWrapper("-L", "8080:localhost:80", "-L", "[::1]:2222:db:22", "-l", "host").Options!;
        Assert.That(o.LocalForwards, Is.EqualTo(new[] { "8080:localhost:80", "[::1]:2222:db:22" }));
        Assert.That(o.Local, Is.True);
        Parsed bad = ParseWrapper("-L", "8080:nowhere", "host");
        Assert.That(bad.ExitStatus, Is.EqualTo(255));
        Assert.That(bad.StandardError, Does.Contain("bad forwarding specification '8080:nowhere'"));
    }

    [Test]
    public void Capital_R_takes_remote_forwards_and_A_or_forward_agent_asks_for_the_agent_while_a_stays_always()
    {
        WrapperOptions o = ParseWrapper("-R", "9000:localhost:80", "-R", "*:9001:h:81", "-A", "host").Options!;
        Assert.Multiple(() =>
        {
            Assert.That(o.RemoteForwards, Is.EqualTo(new[] { "9000:localhost:80", "*:9001:h:81" }));
            Assert.That(o.ForwardAgent, Is.True);
            Assert.That(o.Prediction, Is.EqualTo("adaptive"), "capital A is not -a");
            Assert.That(ParseWrapper("--forward-agent", "host").Options!.ForwardAgent, Is.True);
            Assert.That(ParseWrapper("-a", "host").Options!.ForwardAgent, Is.False);
            Assert.That(ParseWrapper("host").Options!.ForwardAgent, Is.False);
        });
        Parsed bad = ParseWrapper("-R", "9000:h", "host");
        Assert.That(bad.ExitStatus, Is.EqualTo(255));
        Assert.That(bad.StandardError, Does.Contain("Option R: bad forwarding specification '9000:h'"));
    }

    [Test]
    public void Defaults_match_upstream()
    {
        WrapperOptions o = ParseWrapper("user@host").Options!;
        Assert.Multiple(() =>
        {
            Assert.That(o.Host, Is.EqualTo("user@host"));
            Assert.That(o.Command, Is.Empty);
            Assert.That(o.Prediction, Is.EqualTo("adaptive"));
            Assert.That(o.Family, Is.EqualTo(AddressFamilyChoice.PreferInet));
            Assert.That(o.SshCommand, Is.EqualTo(new[] { "ssh" }));
            Assert.That(o.SshPty && o.TerminalInit, Is.True);
            Assert.That(o.RemoteIp, Is.EqualTo(RemoteIpMethod.Proxy));
            Assert.That(o.ClientPath ?? o.ServerCommand ?? o.PortRequest ?? o.BindServer, Is.Null);
        });
    }

    [Test]
    public void Every_option_is_read_in_long_short_and_negated_forms()
    {
        WrapperOptions o = ParseWrapper("--client=/c", "--server", "/s", "-a", "-o", "-6", "-p", "60001:60009",
            "--bind-server=any", "--ssh=ssh -p 2222", "--no-ssh-pty", "--no-init", "--local",
            "--experimental-remote-ip=remote", "host", "--", "ls", "-l").Options!;
        Assert.Multiple(() =>
        {
            Assert.That(o.ClientPath, Is.EqualTo("/c"));
            Assert.That(o.ServerCommand, Is.EqualTo("/s"));
            Assert.That(o.Prediction, Is.EqualTo("always"));
            Assert.That(o.PredictOverwrite, Is.True);
            Assert.That(o.Family, Is.EqualTo(AddressFamilyChoice.Inet6));
            Assert.That(o.PortRequest, Is.EqualTo("60001:60009"));
            Assert.That(o.BindServer, Is.EqualTo("any"));
            Assert.That(o.SshCommand, Is.EqualTo(new[] { "ssh", "-p", "2222" }));
            Assert.That(o.SshPty, Is.False);
            Assert.That(o.TerminalInit, Is.False);
            Assert.That(o.Local, Is.True);
            Assert.That(o.RemoteIp, Is.EqualTo(RemoteIpMethod.Remote));
            Assert.That(o.Host, Is.EqualTo("host"));
            Assert.That(o.Command, Is.EqualTo(new[] { "ls", "-l" }));
        });
    }

    [Test]
    public void Options_may_follow_the_host_and_be_abbreviated_or_single_dashed()
    {
        WrapperOptions o = ParseWrapper("host", "-n", "-loc", "--predict-o", "--fam=INET", "--noinit", "-4").Options!;
        Assert.That(o.Prediction, Is.EqualTo("never"));
        Assert.That(o.Local && o.PredictOverwrite, Is.True);
        Assert.That(o.TerminalInit, Is.False);
        Assert.That(o.Family, Is.EqualTo(AddressFamilyChoice.Inet));
    }

    [Test]
    public void Unknown_and_ambiguous_options_are_all_reported_then_usage_and_status_255()
    {
        Parsed r = ParseWrapper("--bogus", "--s", "-X", "--local=1", "host", "-p");
        Assert.That(r.Options, Is.Null);
        Assert.That(r.ExitStatus, Is.EqualTo(255));
        Assert.That(r.StandardError, Does.StartWith(
            "Unknown option: bogus\nOption s is ambiguous (server, ssh, ssh-pty)\nUnknown option: x\n" +
            "Option local does not take an argument\nOption p requires an argument\nUsage: mosh [options]"));
    }

    [Test]
    public void Prediction_mode_defaults_from_the_environment_and_bad_modes_are_named()
    {
        Assert.That(ParseWith("never", "host").Options!.Prediction, Is.EqualTo("never"));
        Assert.That(ParseWith("never", "-a", "host").Options!.Prediction, Is.EqualTo("always"));

        Parsed bad = ParseWrapper("--predict=sometimes", "host");
        Assert.That(bad.ExitStatus, Is.EqualTo(255));
        Assert.That(bad.StandardError, Does.StartWith("mosh: Unknown mode \"sometimes\".\n\nUsage:"));

        Parsed badEnv = ParseWith("zz", "host");
        Assert.That(badEnv.StandardError, Does.StartWith("mosh: Unknown mode \"zz\" (MOSH_PREDICTION_DISPLAY in environment).\n\n"));
    }

    [TestCase("x", "mosh: Server-side port or range (x) is not valid.\n")]
    [TestCase("70000", "mosh: Server-side (low) port (70000) must be within valid range [0..65535].\n")]
    [TestCase("3:0", "mosh: Server-side high port (0) must be within valid range [1..65535].\n")]
    [TestCase("0:3", "mosh: Server-side port ranges may not be used with starting port 0 (0:3).\n")]
    [TestCase("5:3", "mosh: Server-side port range (5:3): low port greater than high port.\n")]
    [TestCase("5:", "mosh: Server-side port or range (5:) is not valid.\n")]
    public void Bad_port_requests_get_upstreams_message(string port, string message)
    {
        Parsed r = ParseWrapper("-p", port, "host");
        Assert.That(r.ExitStatus, Is.EqualTo(255));
        Assert.That(r.StandardError, Is.EqualTo(message));
    }

    [Test]
    public void Good_port_requests_pass()
    {
        Assert.That(ParseWrapper("--port=0", "h").Options!.PortRequest, Is.EqualTo("0"));
        Assert.That(ParseWrapper("-p", "60000:61000", "h").Options, Is.Not.Null);
        Assert.That(ParseWrapper("-p", "7:7", "h").Options, Is.Not.Null);
    }

    [Test]
    public void Bad_remote_ip_method_family_and_missing_host_are_refused()
    {
        Assert.That(ParseWrapper("--experimental-remote-ip=zz", "h").StandardError, Is.EqualTo("Unknown parameter zz\n"));
        Assert.That(ParseWrapper("--family=ipx", "h").StandardError, Is.EqualTo("mosh: Invalid family ipx\n"));
        Parsed none = ParseWrapper("-a");
        Assert.That(none.ExitStatus, Is.EqualTo(255));
        Assert.That(none.StandardError, Does.StartWith("Usage: mosh"));
    }

    [Test]
    public void Help_and_version_go_to_stdout_with_status_0()
    {
        Assert.That(ParseWrapper("--help").StandardOutput, Does.StartWith("Usage: mosh [options] [--] [user@]host [command...]"));
        Assert.That(ParseWrapper("--version").StandardOutput, Does.StartWith("mosh (Mosh for .NET) "));
        Assert.That(ParseWrapper("--version").ExitStatus, Is.EqualTo(0));
    }

    [Test]
    public void Usage_lists_every_public_option()
    {
        string usage = ParseWrapper("--help").StandardOutput;
        foreach (string option in new[] { "--client=", "--server=", "--predict=adaptive", "--predict=always", "--predict=never",
            "--predict=experimental", "--predict-overwrite", "-a ", "-n ", "-o ", "-4 ", "-6 ", "--family=inet ", "--family=inet6",
            "--family=auto", "--family=all", "--family=prefer-inet ", "--family=prefer-inet6", "--port=", "-p PORT",
            "--bind-server=", "--ssh=", "--no-ssh-pty", "--no-init", "--local", "--experimental-remote-ip=", "--help", "--version",
            "--list", "--attach[=PID]" })
        {
            Assert.That(usage, Does.Contain(option));
        }
    }

    [Test]
    public void List_and_attach_are_read_spelled_out_only_so_dash_l_stays_local()
    {
        Assert.That(ParseWrapper("--list", "host").Options!.ListSessions, Is.True);
        WrapperOptions attach = ParseWrapper("--attach", "host").Options!;
        Assert.That((attach.Attach, attach.AttachPid, attach.Host), Is.EqualTo((true, (int?)null, "host")));
        Assert.That(ParseWrapper("--attach=4242", "host").Options!.AttachPid, Is.EqualTo(4242));
        WrapperOptions l = ParseWrapper("-l", "host").Options!;
        Assert.That((l.Local, l.ListSessions), Is.EqualTo((true, false)));
        Assert.That(ParseWrapper("--attach=x", "host").ExitStatus, Is.EqualTo(255));
        Assert.That(ParseWrapper("--list", "--attach", "host").ExitStatus, Is.EqualTo(255));
        Assert.That(ParseWrapper("--attach", "host", "vim").ExitStatus, Is.EqualTo(255));
    }

    [Test]
    public void Fake_proxy_takes_exactly_host_and_port()
    {
        WrapperOptions o = ParseWrapper("--family=inet6", "--fake-proxy", "--", "example.org", "22").Options!;
        Assert.That(o.FakeProxy, Is.True);
        Assert.That(o.Host, Is.EqualTo("example.org"));
        Assert.That(o.Command, Is.EqualTo(new[] { "22" }));
        Assert.That(ParseWrapper("--fake-proxy", "--", "example.org").ExitStatus, Is.EqualTo(255));
    }
}
