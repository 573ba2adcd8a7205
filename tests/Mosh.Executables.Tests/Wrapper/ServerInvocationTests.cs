using Mosh.Wrapper;

namespace Mosh.Tests.Wrapper;

public class ServerInvocationTests
{
    private static WrapperOptions Options(params string[] args) => WrapperOptions.Parse(args, "mosh", null).Options!;

    private static EnvironmentBlock Env(params (string, string)[] variables) =>
        new(variables.ToDictionary(v => v.Item1, v => v.Item2));

    [Test]
    public void Server_arguments_carry_colours_bind_port_locale_and_command()
    {
        var args = ServerInvocation.ServerArguments(Options("-p", "60001", "host", "--", "echo", "it's"), 256,
            Env(("LC_ALL", "C.UTF-8"), ("LANG", "en_US.UTF-8"), ("HOME", "/root")));
        Assert.That(args, Is.EqualTo(new[] { "new", "-c", "256", "-s", "-p", "60001", "-l", "LANG=en_US.UTF-8", "-l", "LC_ALL=C.UTF-8", "--", "echo", "it's" }));
    }

    [TestCase(new[] { "host" }, new[] { "new", "-c", "8", "-s" })]
    [TestCase(new[] { "--bind-server=SSH", "host" }, new[] { "new", "-c", "8", "-s" })]
    [TestCase(new[] { "--local", "127.0.0.1" }, new[] { "new", "-c", "8", "-i", "127.0.0.1" })]
    [TestCase(new[] { "--bind-server=any", "host" }, new[] { "new", "-c", "8" })]
    [TestCase(new[] { "--bind-server=10.1.2.3", "host" }, new[] { "new", "-c", "8", "-i", "10.1.2.3" })]
    [TestCase(new[] { "-A", "host" }, new[] { "new", "-c", "8", "-s", "-A" })]
    [TestCase(new[] { "-R", "9000:h:80", "host" }, new[] { "new", "-c", "8", "-s" })]
    public void Bind_server_choice_becomes_the_servers_bind_arguments(string[] wrapperArgs, string[] expected) =>
        Assert.That(ServerInvocation.ServerArguments(Options(wrapperArgs), 8, Env()), Is.EqualTo(expected));

    [Test]
    public void Proxy_mode_ssh_command_uses_our_fake_proxy_and_quotes_the_server_arguments()
    {
        WrapperOptions o = Options("--ssh=ssh -p 2222", "-4", "u@h");
        string line = ServerInvocation.ServerCommandLine("mosh-server", ["new", "-c", "8", "-s"]);
        var argv = ServerInvocation.SshArguments(o, "u@h", "/opt/my mosh/mosh", line);
        Assert.That(argv, Is.EqualTo(new[]
        {
            "ssh", "-p", "2222", "-n", "-tt", "-S", "none", "-o",
            "ProxyCommand='/opt/my mosh/mosh' '--family=inet' --fake-proxy -- %h %p",
            "u@h", "--", "mosh-server 'new' '-c' '8' '-s'",
        }));
    }

    [Test]
    public void Remote_mode_asks_the_shell_for_SSH_CONNECTION_and_passes_the_family_to_ssh()
    {
        WrapperOptions o = Options("--experimental-remote-ip=remote", "-6", "--no-ssh-pty", "h");
        var argv = ServerInvocation.SshArguments(o, "h", "/bin/mosh", "mosh-server 'new'");
        Assert.That(argv.Take(3), Is.EqualTo(new[] { "ssh", "-n", "-6" }));
        Assert.That(argv, Does.Not.Contain("-tt").And.Not.Contain("-S"));
        Assert.That(argv[^1], Does.StartWith("sh -c '[ -n \"$SSH_CONNECTION\" ] && printf").And.EndWith(" ; mosh-server 'new'"));
    }

    [Test]
    public void Remote_mode_snippet_prints_the_line_the_scanner_reads()
    {
        string command = ServerInvocation.SshConnectionReporter + "true";
        var psi = new System.Diagnostics.ProcessStartInfo("/bin/sh", ["-c", command]) { RedirectStandardOutput = true };
        psi.Environment["SSH_CONNECTION"] = "192.0.2.1 40000 198.51.100.5 22";
        using var sh = System.Diagnostics.Process.Start(psi)!;
        string[] lines = sh.StandardOutput.ReadToEnd().Split('\n');
        sh.WaitForExit();
        var scanner = new StartupScanner("mosh", null);
        foreach (string l in lines)
        {
            scanner.Accept(l);
        }
        Assert.That(scanner.SshConnectionIp, Is.EqualTo("198.51.100.5"));
    }
}
