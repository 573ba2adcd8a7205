namespace Mosh.EndToEnd.Harness;

/// <summary>
/// A whole session on one machine: mosh-server, a <see cref="UdpRelay"/> in front of it and mosh-client in tmux
/// talking to the relay. Server and client may come from different <see cref="MoshPrograms"/> (interop).
/// Disposal tears down client, relay and server in that order.
/// </summary>
internal sealed class MoshSession : IAsyncDisposable
{
    private MoshSession(MoshServer server, UdpRelay relay, TmuxSession client)
    {
        Server = server;
        Relay = relay;
        Client = client;
    }

    public MoshServer Server { get; }

    public UdpRelay Relay { get; }

    /// <summary>The client's terminal.</summary>
    public TmuxSession Client { get; }

    /// <summary>Starts the server, the relay (seeded, impairments off until changed; the relay exists before
    /// the client so an inspector can be installed by <paramref name="configureRelay"/> in time) and the client,
    /// and waits for the server's shell prompt on the client's screen.</summary>
    public static async Task<MoshSession> StartAsync(
        MoshPrograms serverPrograms,
        MoshPrograms clientPrograms,
        MoshServerOptions? serverOptions = null,
        TmuxOptions? clientOptions = null,
        Action<MoshServer, UdpRelay>? configureRelay = null,
        int seed = 20240601,
        IReadOnlyList<string>? clientArguments = null)
    {
        MoshServer server = await MoshServer.StartAsync(serverPrograms, serverOptions).ConfigureAwait(false);
        UdpRelay? relay = null;
        TmuxSession? client = null;
        try
        {
            relay = UdpRelay.Start(server.Port, seed);
            configureRelay?.Invoke(server, relay);
            client = await MoshClient.StartAsync(clientPrograms, relay.Port, server.Key, clientOptions, clientArguments).ConfigureAwait(false);
            var session = new MoshSession(server, relay, client);
            if (ReferenceEquals((serverOptions ?? new MoshServerOptions()).Command, TestShell.Command))
            {
                await session.WaitForPromptAsync().ConfigureAwait(false);
            }
            return session;
        }
        catch
        {
            if (client is not null)
            {
                await client.DisposeAsync().ConfigureAwait(false);
            }
            relay?.Dispose();
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public static Task<MoshSession> StartAsync(MoshPrograms programs, MoshServerOptions? serverOptions = null, Action<MoshServer, UdpRelay>? configureRelay = null) =>
        StartAsync(programs, programs, serverOptions, configureRelay: configureRelay);

    /// <summary>Waits until the client's screen ends with a fresh <see cref="TestShell.Prompt"/>.</summary>
    public Task<string> WaitForPromptAsync(TimeSpan? timeout = null) =>
        Client.WaitForScreenAsync(TestShell.ShowsPrompt, "the shell prompt through mosh" + Environment.NewLine + Relay, timeout);

    /// <summary>Types a command that prints <paramref name="token"/> (at least 2 characters, no quotes) and waits
    /// for a screen line that is exactly the token: the typed line (<c>echo "to""ken"</c>) never is.</summary>
    public async Task<string> RunCommandAsync(string token, TimeSpan? timeout = null)
    {
        await Client.SendLineAsync(EchoCommand(token)).ConfigureAwait(false);
        return await Client.WaitForLineAsync(token, timeout).ConfigureAwait(false);
    }

    public static string EchoCommand(string token) => $"echo \"{token[..1]}\"\"{token[1..]}\"";

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync().ConfigureAwait(false);
        Relay.Dispose();
        await Server.DisposeAsync().ConfigureAwait(false);
    }
}
