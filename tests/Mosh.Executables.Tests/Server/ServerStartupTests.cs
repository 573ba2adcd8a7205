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

    [Test]
    public void With_an_agent_socket_the_childs_SSH_AUTH_SOCK_is_the_sessions_and_without_it_stays_as_it_was()
    {
        var current = new Hashtable { ["HOME"] = "/root", ["SSH_AUTH_SOCK"] = "/tmp/ssh-x/agent.1" };
        Assert.That(ChildEnvironment.Build(current, 8, null, DaemonLauncher.Variables, "/run/user/0/mosh/agent-5/agent.sock"),
            Has.Member("SSH_AUTH_SOCK=/run/user/0/mosh/agent-5/agent.sock").And.No.Member("SSH_AUTH_SOCK=/tmp/ssh-x/agent.1"));
        Assert.That(ChildEnvironment.Build(current, 8, null, DaemonLauncher.Variables), Has.Member("SSH_AUTH_SOCK=/tmp/ssh-x/agent.1"));
    }

    [Test]
    public void The_agent_socket_lives_in_a_private_directory_of_the_session_and_goes_with_it()
    {
        DirectoryInfo control = Directory.CreateTempSubdirectory("agent-parent-");
        try
        {
            uint uid = FileStatus.CurrentUid;
            string socketPath;
            using (AgentSocket agent = AgentSocket.Create([control.FullName], 4242, uid, out string problem)!)
            {
                Assert.That(agent, Is.Not.Null, problem);
                socketPath = agent.Path;
                Assert.That(agent.Directory, Is.EqualTo(Path.Combine(control.FullName, "agent-4242")));
                Assert.That(FileStatus.Of(agent.Directory)!.Value.Permissions, Is.EqualTo(0x1C0u), "0700");
                Assert.That(FileStatus.Of(socketPath)!.Value.IsSocket, Is.True);
                using var probe = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix,
                    System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
                probe.Connect(new System.Net.Sockets.UnixDomainSocketEndPoint(socketPath));
            }

            Assert.That(Directory.Exists(Path.GetDirectoryName(socketPath)), Is.False, "removed with the session");
        }
        finally
        {
            control.Delete(recursive: true);
        }
    }

    [Test]
    public void An_agent_directory_other_users_can_enter_is_not_used()
    {
        DirectoryInfo control = Directory.CreateTempSubdirectory("agent-parent-");
        try
        {
            string planted = Path.Combine(control.FullName, "agent-4243");
            if (OperatingSystem.IsWindows())
            {
                return; // POSIX modes only
            }

            Directory.CreateDirectory(planted, (UnixFileMode)0x1FF);
            File.SetUnixFileMode(planted, (UnixFileMode)0x1FF); // 0777 despite the umask
            using AgentSocket? agent = AgentSocket.Create([control.FullName], 4243, FileStatus.CurrentUid, out _);
            Assert.That(agent, Is.Not.Null, "a fresh temporary directory instead");
            Assert.That(agent!.Directory, Is.Not.EqualTo(planted));
            Assert.That(File.Exists(Path.Combine(planted, "agent.sock")), Is.False);
        }
        finally
        {
            control.Delete(recursive: true);
        }
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
