using System.Globalization;
using Mosh.EndToEnd.Harness;

namespace Mosh.EndToEnd.Session;

/// <summary>
/// Agent forwarding across <c>mosh-server attach</c> (issue 13): the session's agent socket lives in its control
/// directory and outlives a client, but a new client that did not ask for the agent gets none of its connections;
/// the socket's directory goes with the session.
/// </summary>
[TestFixture]
[NonParallelizable]
public class AgentForwardingAttachTests : SessionControlFixture
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private static async Task<string> ListKeysAsync(TmuxSession shell, string marker)
    {
        await shell.SendLineAsync($"ssh-add -l; echo {marker[..1]}''{marker[1..]}");
        return await shell.WaitForLineAsync(marker, Wait);
    }

    [Test]
    public async Task A_client_attaching_without_dash_A_gets_no_agent_connections_from_a_session_started_with_it()
    {
        await using SshAgent agent = await SshAgent.StartAsync();
        var clientEnvironment = new Dictionary<string, string?> { ["SSH_AUTH_SOCK"] = agent.SocketPath };
        MoshServer server = await MoshServer.StartAsync(Ours, new MoshServerOptions { Environment = ControlEnvironment, ExtraArguments = ["-A"] });
        await using MoshServer stop = server;
        string agentDirectory = Path.Combine(ControlDirectoryPath, "agent-" + server.Pid.ToString(CultureInfo.InvariantCulture));
        await Poll.UntilAsync(() => File.Exists(Path.Combine(agentDirectory, "agent.sock")), Wait, "the session's agent socket");
        Assert.That(OperatingSystem.IsWindows() ? default : File.GetUnixFileMode(agentDirectory), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute));

        await using (TmuxSession first = await MoshClient.StartAsync(Ours, server.Port, server.Key,
            new TmuxOptions { Width = 160, Environment = clientEnvironment }, ["-A"]))
        {
            await first.WaitForScreenAsync(TestShell.ShowsPrompt, "the prompt", Wait);
            Assert.That(await ListKeysAsync(first, "first-listed"), Does.Contain(agent.KeyComment), "the client that asked gets the agent");
            ProcessTag.Signal(await first.PanePidAsync(), 9);
            await first.WaitForExitAsync(Wait);
        }

        (int port, string key) = await AttachAsync(server.Pid);
        await using (TmuxSession second = await MoshClient.StartAsync(Ours, port, key, new TmuxOptions { Width = 160, Environment = clientEnvironment }))
        {
            await second.WaitForLineAsync("first-listed", Wait);
            string screen = await ListKeysAsync(second, "second-listed");
            int secondList = screen.LastIndexOf("ssh-add -l", StringComparison.Ordinal);
            Assert.That(screen[secondList..], Does.Not.Contain(agent.KeyComment), "the attached client did not ask for the agent");

            ProcessResult kill = await ServerCommandAsync("kill", server.Pid.ToString(CultureInfo.InvariantCulture));
            Assert.That(kill.ExitCode, Is.Zero, kill.Describe());
            await second.WaitForExitAsync(Wait);
        }

        await Poll.UntilAsync(() => !Directory.Exists(agentDirectory), Wait, "the agent directory to go with the session");
    }
}
