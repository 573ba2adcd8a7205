using System.Collections;
using Mosh.Server;

namespace Mosh.Tests.Server;

public class ServerStartupTests
{
    [Test]
    public void Without_a_command_the_login_shell_from_SHELL_runs_with_a_dash_and_the_motd()
    {
        ShellCommand command = ShellCommand.Resolve(null, name => name == "SHELL" ? "/usr/bin/zsh" : null, () => "/bin/bash");
        Assert.That(command, Is.EqualTo(new ShellCommand("/usr/bin/zsh", command.Argv, true)));
        Assert.That(command.Argv, Is.EqualTo(new[] { "-zsh" }));
    }

    [Test]
    public void Without_SHELL_the_passwd_shell_runs_and_an_empty_one_means_bin_sh()
    {
        Assert.That(ShellCommand.Resolve(null, _ => null, () => "/bin/bash").Argv, Is.EqualTo(new[] { "-bash" }));
        ShellCommand bourne = ShellCommand.Resolve(null, _ => null, () => "");
        Assert.That((bourne.Path, bourne.Argv[0]), Is.EqualTo(("/bin/sh", "-sh")));
    }

    [Test]
    public void A_given_command_runs_as_is_without_the_motd()
    {
        ShellCommand command = ShellCommand.Resolve(["printf", "%s", "x"], _ => "/bin/zsh", () => null);
        Assert.That((command.Path, command.WithMotd), Is.EqualTo(("printf", false)));
        Assert.That(command.Argv, Is.EqualTo(new[] { "printf", "%s", "x" }));
    }

    [Test]
    public void The_child_environment_sets_TERM_for_the_colours_and_hides_server_variables()
    {
        var current = new Hashtable
        {
            ["TERM"] = "dumb", ["STY"] = "1.pts", ["HOME"] = "/root", ["MOSH_SERVER_DAEMON_KEY_FD"] = "4",
        };
        List<string> env = ChildEnvironment.Build(current, 256, "/root", DaemonLauncher.Variables);
        Assert.That(env, Is.EquivalentTo(new[]
        {
            "HOME=/root", "TERM=xterm-256color", "NCURSES_NO_UTF8_ACS=1", "PWD=/root",
        }));
        Assert.That(ChildEnvironment.TermFor(8), Is.EqualTo("xterm"));
    }

    [TestCase(null, 0, "")]
    [TestCase("", 0, "")]
    [TestCase("30", 30, "")]
    [TestCase(" 7", 7, "")]
    [TestCase("x", 0, "MOSH_SERVER_NETWORK_TMOUT not a valid integer, ignoring\n")]
    [TestCase("5s", 0, "MOSH_SERVER_NETWORK_TMOUT not a valid integer, ignoring\n")]
    [TestCase("-3", 0, "MOSH_SERVER_NETWORK_TMOUT is negative, ignoring\n")]
    public void Network_timeout_is_read_as_upstream_reads_it(string? value, long expected, string warning)
    {
        string warnings = "";
        IdleTimeouts timeouts = IdleTimeouts.FromEnvironment(
            name => name == IdleTimeouts.NetworkVariable ? value : null, w => warnings += w);
        Assert.That((timeouts.NetworkSeconds, warnings), Is.EqualTo((expected, warning)));
    }
}
