using System.Text.RegularExpressions;
using Mosh.EndToEnd.Harness;

namespace Mosh.EndToEnd.Session;

/// <summary>
/// <c>mosh-client -A</c> with <c>mosh-server new -A</c> (issue 13): the remote shell's SSH_AUTH_SOCK is a socket of the
/// session whose connections reach the client's own agent, and only a client that asked gets them.
/// </summary>
[TestFixture]
internal sealed partial class AgentForwardingTests
{
    /// <summary>Runs <c>ssh-add -l</c> and prints SSH_AUTH_SOCK and its directory's mode, then waits for the marker.</summary>
    private static async Task<string> ShowAgentAsync(TmuxSession shell, string marker)
    {
        await shell.SendLineAsync(
            $"ssh-add -l; echo \"so\"\"ck=[$SSH_AUTH_SOCK] mode=[$(stat -c %a \"$(dirname \"${{SSH_AUTH_SOCK:-/nonexistent/x}}\")\" 2>/dev/null)]\"; echo {marker[..1]}\"\"{marker[1..]}");
        return await shell.WaitForLineAsync(marker, TimeSpan.FromSeconds(60));
    }

    [GeneratedRegex(@"sock=\[([^\]]*)\] mode=\[([^\]]*)\]")]
    private static partial Regex SockLine();

    [Test]
    public async Task The_remote_shell_lists_the_clients_agent_key_through_a_private_socket_of_the_session()
    {
        await using SshAgent agent = await SshAgent.StartAsync();
        MoshPrograms ours = MoshPrograms.RequireOurs();
        await using MoshSession session = await MoshSession.StartAsync(ours, ours,
            serverOptions: new MoshServerOptions { ExtraArguments = ["-A"] },
            clientOptions: new TmuxOptions { Width = 160, Environment = new Dictionary<string, string?> { ["SSH_AUTH_SOCK"] = agent.SocketPath } },
            clientArguments: ["-A"]);

        string screen = await ShowAgentAsync(session.Client, "agent-done");
        Match sock = SockLine().Match(screen);
        Assert.Multiple(() =>
        {
            Assert.That(screen, Does.Contain(agent.KeyComment), "ssh-add -l in the remote shell lists the client's key");
            Assert.That(sock.Success, Is.True, screen);
            Assert.That(sock.Groups[1].Value, Is.Not.Empty.And.Not.EqualTo(agent.SocketPath), "the shell's socket is the session's, not the client's");
            Assert.That(sock.Groups[2].Value, Is.EqualTo("700"), "in a directory only the user can enter");
        });
    }

    [Test]
    public async Task The_shells_first_command_lists_the_agent_key_though_it_runs_before_the_clients_agent_request_arrives()
    {
        // The shell starts on the client's first state; the client asks for the agent only after the server's hello
        // came back, a round trip (here 300 ms) later. ssh-add's connection made meanwhile must wait for it.
        await using SshAgent agent = await SshAgent.StartAsync();
        MoshPrograms ours = MoshPrograms.RequireOurs();
        var delay = new RelayImpairment { DelayMs = 150 };
        await using MoshSession session = await MoshSession.StartAsync(ours, ours,
            serverOptions: new MoshServerOptions
            {
                ExtraArguments = ["-A"],
                Command = ["sh", "-c", "ssh-add -l; echo first-''listed; sleep 120"],
            },
            clientOptions: new TmuxOptions { Width = 160, Environment = new Dictionary<string, string?> { ["SSH_AUTH_SOCK"] = agent.SocketPath } },
            configureRelay: (_, relay) => relay.Impair(delay),
            clientArguments: ["-A"]);

        string screen = await session.Client.WaitForLineAsync("first-listed", TimeSpan.FromSeconds(60));
        Assert.That(screen, Does.Contain(agent.KeyComment), "ssh-add -l as the session's first command lists the client's key");
    }

    [Test]
    public async Task The_wrapper_forwards_the_agent_in_a_local_session()
    {
        // mosh --local -A: the wrapper starts mosh-server new -A itself and gives mosh-client -A.
        await using SshAgent agent = await SshAgent.StartAsync();
        MoshPrograms ours = MoshPrograms.RequireOurs();
        await using TmuxSession tmux = await TmuxSession.StartAsync(
            [ours.Wrapper, $"--client={ours.Client}", $"--server={ours.Server}", "--local", "-A", "127.0.0.1", "--",
                "sh", "-c", "ssh-add -l; echo \"so\"\"ck=[$SSH_AUTH_SOCK]\"; echo local-''listed; sleep 120"],
            new TmuxOptions { Width = 160, Environment = new Dictionary<string, string?> { ["SSH_AUTH_SOCK"] = agent.SocketPath } });
        string screen = await tmux.WaitForLineAsync("local-listed", TimeSpan.FromSeconds(60));
        Assert.Multiple(() =>
        {
            Assert.That(screen, Does.Contain(agent.KeyComment), "ssh-add -l in the local session lists the throwaway agent's key");
            Assert.That(screen, Does.Match(@"sock=\[/.+\]"), "the shell has an agent socket");
            Assert.That(screen, Does.Not.Contain($"sock=[{agent.SocketPath}]"), "the session's own, not the client's");
        });
    }

    [Test]
    public async Task A_client_that_did_not_ask_for_the_agent_gets_no_agent_connections()
    {
        // The server was started with -A (say by an earlier client); this client has an agent but did not give -A.
        await using SshAgent agent = await SshAgent.StartAsync();
        MoshPrograms ours = MoshPrograms.RequireOurs();
        await using MoshSession session = await MoshSession.StartAsync(ours, ours,
            serverOptions: new MoshServerOptions { ExtraArguments = ["-A"] },
            clientOptions: new TmuxOptions { Width = 160, Environment = new Dictionary<string, string?> { ["SSH_AUTH_SOCK"] = agent.SocketPath } },
            clientArguments: ["-L", $"{FreePort.Tcp()}:127.0.0.1:9"]); // streams on, agent not asked for

        string screen = await ShowAgentAsync(session.Client, "noagent-done");
        Assert.That(screen, Does.Not.Contain(agent.KeyComment), "the key is not reachable");
        Assert.That(SockLine().Match(screen).Groups[1].Value, Is.Not.EqualTo(agent.SocketPath));
    }

    [Test]
    public async Task Without_dash_A_the_shell_keeps_the_servers_own_SSH_AUTH_SOCK()
    {
        await using SshAgent agent = await SshAgent.StartAsync();
        MoshPrograms ours = MoshPrograms.RequireOurs();
        await using MoshSession session = await MoshSession.StartAsync(ours, ours,
            serverOptions: new MoshServerOptions
            {
                Environment = new Dictionary<string, string?> { ["SSH_AUTH_SOCK"] = "/nonexistent/servers-own" },
                Command = [.. TestShell.Command], // a copy: the start does not wait for the prompt the report covers
            },
            clientOptions: new TmuxOptions { Width = 160, Environment = new Dictionary<string, string?> { ["SSH_AUTH_SOCK"] = agent.SocketPath } },
            clientArguments: ["-A"]);

        // The client asked, the server has no agent socket: the client says so, the shell's variable is untouched.
        await session.Client.WaitForTextAsync("agent forwarding: this session has no agent socket");
        string screen = await ShowAgentAsync(session.Client, "plain-done");
        Assert.That(SockLine().Match(screen).Groups[1].Value, Is.EqualTo("/nonexistent/servers-own"));
        Assert.That(screen, Does.Not.Contain(agent.KeyComment));
    }
}
