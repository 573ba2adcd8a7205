using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Mosh.EndToEnd.Harness;
using Mosh.EndToEnd.Session;

namespace Mosh.EndToEnd.Wrapper;

/// <summary>
/// <c>mosh -A -R</c> over the harness's real sshd (issue 13): the wrapper passes <c>-A</c> to the remote
/// <c>mosh-server new</c> and both options to mosh-client, and both forwardings work in the session.
/// </summary>
public class ForwardingOverSshTests
{
    [Test]
    public async Task The_wrapper_forwards_the_agent_and_a_remote_port_through_ssh_bootstrap()
    {
        MoshPrograms ours = MoshPrograms.RequireOurs();
        await using SshServer sshd = await SshServer.StartAsync();
        await using SshAgent agent = await SshAgent.StartAsync();
        byte[] push = RandomNumberGenerator.GetBytes(1024 * 1024);
        byte[] reply = RandomNumberGenerator.GetBytes(64 * 1024);
        (TcpListener target, Task<byte[]> targetHash) = RemoteForwardingTests.HashingTarget(reply);
        using TcpListener stop = target;
        int remotePort = FreePort.Tcp();

        await using TmuxSession tmux = await MoshWrapper.StartAsync(ours.Wrapper, sshd,
            ["sh", "-c", "ssh-add -l; echo \"sock=[$SSH_AUTH_SOCK]\"; echo fwd-ssh-ready; sleep 120"],
            serverPath: ours.Server,
            extraArguments: ["-A", "-R", $"{remotePort}:127.0.0.1:{((IPEndPoint)target.LocalEndpoint).Port}"],
            options: new TmuxOptions { Width = 160, Environment = new Dictionary<string, string?> { ["SSH_AUTH_SOCK"] = agent.SocketPath } });
        string screen = await tmux.WaitForLineAsync("fwd-ssh-ready", TimeSpan.FromSeconds(60));
        Assert.That(screen, Does.Contain(agent.KeyComment), "ssh-add -l in the remote command lists the client's key");
        Assert.That(screen, Does.Not.Contain($"sock=[{agent.SocketPath}]"));

        byte[] answer = await RemoteForwardingTests.ExchangeAsync(remotePort, push, TimeSpan.FromSeconds(60));
        Assert.That(await targetHash, Is.EqualTo(SHA256.HashData(push)));
        Assert.That(SHA256.HashData(answer.AsSpan(32)), Is.EqualTo(SHA256.HashData(reply)));
    }
}
