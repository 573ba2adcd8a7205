namespace Mosh.EndToEnd.Harness;

/// <summary>
/// A throwaway <c>ssh-agent</c> on its own socket holding one fresh ed25519 key (comment <see cref="KeyComment"/>), for
/// agent-forwarding tests; disposal kills the agent and deletes its directory.
/// </summary>
internal sealed class SshAgent : IAsyncDisposable
{
    private readonly TempDirectory _directory;
    private readonly RunningProcess _agent;

    private SshAgent(TempDirectory directory, RunningProcess agent, string comment)
    {
        _directory = directory;
        _agent = agent;
        KeyComment = comment;
    }

    /// <summary>The agent's socket (what SSH_AUTH_SOCK names on the client side).</summary>
    public string SocketPath => _directory.File("agent.sock");

    /// <summary>The comment of the key it holds, as <c>ssh-add -l</c> prints it.</summary>
    public string KeyComment { get; }

    public static async Task<SshAgent> StartAsync()
    {
        var directory = new TempDirectory("mosh-e2e-agent-");
        string comment = "e2e-key-" + Guid.NewGuid().ToString("N")[..8];
        RunningProcess? agent = null;
        try
        {
            (await ProcessRunner.RunAsync("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", directory.File("id"))
                .ConfigureAwait(false)).EnsureSuccess();
            agent = ProcessRunner.Start(new ProcessSpec("ssh-agent", "-D", "-a", directory.File("agent.sock")));
            await Poll.UntilAsync(() => File.Exists(directory.File("agent.sock")), TimeSpan.FromSeconds(20), "ssh-agent's socket")
                .ConfigureAwait(false);
            (await ProcessRunner.RunAsync(new ProcessSpec("ssh-add", directory.File("id"))
            {
                Environment = new Dictionary<string, string?> { ["SSH_AUTH_SOCK"] = directory.File("agent.sock") },
            }, TimeSpan.FromSeconds(20)).ConfigureAwait(false)).EnsureSuccess();
            return new SshAgent(directory, agent, comment);
        }
        catch
        {
            if (agent is not null)
            {
                await agent.DisposeAsync().ConfigureAwait(false);
            }

            directory.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _agent.DisposeAsync().ConfigureAwait(false);
        _directory.Dispose();
    }
}
