using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Mosh.EndToEnd.Harness;
using Mosh.EndToEnd.Session;
using Mosh.Protobufs;

namespace Mosh.EndToEnd;

/// <summary>
/// Our protocol extensions (doc/protocol-extensions.md) in every pairing, checked on the wire by the relay's
/// <see cref="WireVerifier"/>: our client announces itself and our server answers only it; an upstream peer on
/// either end never receives an extension field, and every datagram still re-encodes byte for byte.
/// </summary>
[TestFixture]
internal sealed class WireExtensionTests
{
    private static IEnumerable<TestCaseData> Pairings()
    {
        yield return new TestCaseData("ours", "ours").SetArgDisplayNames("our server", "our client");
        yield return new TestCaseData("upstream", "ours").SetArgDisplayNames("upstream server", "our client");
        yield return new TestCaseData("ours", "upstream").SetArgDisplayNames("our server", "upstream client");
    }

    [TestCaseSource(nameof(Pairings))]
    public async Task Extensions_flow_only_between_our_peers_and_an_upstream_peer_sees_none(string serverName, string clientName)
    {
        MoshPrograms serverPrograms = MoshPrograms.Named(serverName);
        MoshPrograms clientPrograms = MoshPrograms.Named(clientName);
        WireVerifier? verifier = null;
        await using MoshSession session = await MoshSession.StartAsync(serverPrograms, clientPrograms,
            configureRelay: (server, relay) =>
            {
                verifier = new WireVerifier(server.Key);
                relay.Inspector = verifier.Inspect;
            });
        using WireVerifier check = verifier!;

        // Output that scrolls (history, for our pair), a resize, and the shutdown handshake.
        await session.Client.SendLineAsync("seq 1 200; echo \"ext\"\"-done\"");
        await session.Client.WaitForLineAsync("ext-done");
        // A 100 KB OSC 52 copy: the clipboard extension's pieces for our pair.
        await session.Client.SendLineAsync("printf '\\033]52;c;'; head -c 100000 /dev/zero | base64 -w0; printf '\\a'; echo \"ext\"\"-copied\"");
        await session.Client.WaitForLineAsync("ext-copied");
        await session.Client.ResizeAsync(100, 30);
        await session.RunCommandAsync("ext-resized");
        await session.Client.SendLineAsync("exit");
        Assert.That(await session.Client.WaitForExitAsync(), Is.Zero);

        TestContext.Out.WriteLine($"{serverName} server, {clientName} client: {check}");
        bool ourServer = serverName == "ours";
        bool ourClient = clientName == "ours";
        Assert.Multiple(() =>
        {
            Assert.That(check.Mismatches, Is.Empty, "every datagram re-encodes byte for byte");
            Assert.That(session.Relay.InspectorFailures, Is.Empty);
            Assert.That(check.DiffsChecked(RelayDirection.ToClient), Is.GreaterThan(0));
            if (ourClient)
            {
                Assert.That(check.ExtensionInstructions(RelayDirection.ToServer, ExtensionFields.Hello), Is.GreaterThan(0),
                    "our client announces its capabilities");
            }
            else
            {
                Assert.That(check.ExtensionInstructions(RelayDirection.ToServer), Is.Zero, "upstream's client sends no extension");
            }

            if (ourServer && ourClient)
            {
                Assert.That(check.ExtensionInstructions(RelayDirection.ToClient, ExtensionFields.Hello), Is.GreaterThan(0),
                    "our server answers our client");
                Assert.That(check.ExtensionInstructions(RelayDirection.ToClient, ExtensionFields.Clipboard), Is.GreaterThanOrEqualTo(4),
                    "a 100 KB copy goes in pieces of at most 32 KiB");
            }
            else
            {
                Assert.That(check.ExtensionInstructions(RelayDirection.ToClient), Is.Zero,
                    "an upstream peer on either end: nothing in fields 40-59 goes to the client");
            }
        });
    }

    /// <summary>
    /// Forwarding asked for (-L, -R and -A on our client, -A on our server): stream frames (field 43) flow both ways
    /// between our peers and parse frame by frame; an upstream server gets nothing beyond our client's hello and the
    /// client says once that forwarding is unavailable; an upstream client gets nothing in 40-59.
    /// </summary>
    [TestCaseSource(nameof(Pairings))]
    public async Task Stream_frames_flow_only_between_our_peers_when_forwarding_is_requested(string serverName, string clientName)
    {
        MoshPrograms serverPrograms = MoshPrograms.Named(serverName);
        MoshPrograms clientPrograms = MoshPrograms.Named(clientName);
        bool ourServer = serverName == "ours";
        bool ourClient = clientName == "ours";
        await using SshAgent agent = await SshAgent.StartAsync();
        byte[] fetch = RandomNumberGenerator.GetBytes(256 * 1024);
        using var localTarget = new TcpListener(IPAddress.Loopback, 0);
        localTarget.Start();
        (TcpListener remoteTarget, Task<byte[]> remoteHash) = RemoteForwardingTests.HashingTarget([]);
        using TcpListener stopRemote = remoteTarget;
        int listenPort = FreePort.Tcp();
        int remotePort = FreePort.Tcp();
        WireVerifier? verifier = null;
        await using MoshSession session = await MoshSession.StartAsync(serverPrograms, clientPrograms,
            serverOptions: new MoshServerOptions
            {
                ExtraArguments = ourServer ? ["-A"] : [],
                Command = [.. TestShell.Command], // a copy: a forwarding report may cover the prompt's line for a while
            },
            clientOptions: new TmuxOptions { Width = 160, Environment = new Dictionary<string, string?> { ["SSH_AUTH_SOCK"] = agent.SocketPath } },
            configureRelay: (server, relay) =>
            {
                verifier = new WireVerifier(server.Key);
                relay.Inspector = verifier.Inspect;
            },
            clientArguments: ourClient
                ? ["-L", $"{listenPort}:127.0.0.1:{((IPEndPoint)localTarget.LocalEndpoint).Port}",
                    "-R", $"{remotePort}:127.0.0.1:{((IPEndPoint)remoteTarget.LocalEndpoint).Port}", "-A"]
                : null);
        using WireVerifier check = verifier!;
        await session.RunCommandAsync("fwd-wire-ready");

        if (ourServer && ourClient)
        {
            Task serve = Task.Run(async () =>
            {
                using Socket accepted = await localTarget.AcceptSocketAsync();
                await accepted.SendAsync(fetch);
                accepted.Shutdown(SocketShutdown.Both);
            });
            using (var local = new TcpClient())
            {
                await local.ConnectAsync(IPAddress.Loopback, listenPort);
                using var received = new MemoryStream();
                await local.GetStream().CopyToAsync(received);
                Assert.That(SHA256.HashData(received.ToArray()), Is.EqualTo(SHA256.HashData(fetch)));
            }

            await serve;
            byte[] push = RandomNumberGenerator.GetBytes(64 * 1024);
            _ = await RemoteForwardingTests.ExchangeAsync(remotePort, push, TimeSpan.FromSeconds(60));
            Assert.That(await remoteHash, Is.EqualTo(SHA256.HashData(push)));
            await session.Client.SendLineAsync("ssh-add -l; echo \"ag\"\"ent-listed\"");
            await session.Client.WaitForLineAsync("agent-listed");
            Assert.That(await session.Client.CapturePaneAsync(), Does.Contain(agent.KeyComment));
        }
        else if (ourClient)
        {
            await session.Client.WaitForTextAsync("does not support forwarding");
        }
        else
        {
            // Our server with -A and upstream's client: the agent socket exists, its connections are closed.
            await session.Client.SendLineAsync("ssh-add -l; echo \"ag\"\"ent-tried\"");
            await session.Client.WaitForLineAsync("agent-tried");
        }

        await session.Client.SendLineAsync("exit");
        Assert.That(await session.Client.WaitForExitAsync(), Is.Zero);

        TestContext.Out.WriteLine($"{serverName} server, {clientName} client: {check}; stream frames to server: " +
            string.Join(", ", Enum.GetValues<StreamFrameKind>().Select(k => $"{k} {check.StreamFrames(RelayDirection.ToServer, k)}")) +
            "; to client: " + string.Join(", ", Enum.GetValues<StreamFrameKind>().Select(k => $"{k} {check.StreamFrames(RelayDirection.ToClient, k)}")));
        Assert.Multiple(() =>
        {
            Assert.That(check.Mismatches, Is.Empty, "every datagram re-encodes byte for byte, stream frames included");
            Assert.That(session.Relay.InspectorFailures, Is.Empty);
            if (ourServer && ourClient)
            {
                foreach (RelayDirection direction in new[] { RelayDirection.ToServer, RelayDirection.ToClient })
                {
                    Assert.That(check.ExtensionInstructions(direction, ExtensionFields.StreamFrames), Is.GreaterThan(0));
                    Assert.That(check.StreamFrames(direction, StreamFrameKind.Open), Is.GreaterThan(0), $"{direction}: opens");
                    Assert.That(check.StreamFrames(direction, StreamFrameKind.Data), Is.GreaterThan(0), $"{direction}: data");
                    Assert.That(check.StreamFrames(direction, StreamFrameKind.Listen), Is.GreaterThan(0), $"{direction}: listen and its answer");
                }
            }
            else if (ourClient)
            {
                Assert.That(check.ExtensionInstructions(RelayDirection.ToServer),
                    Is.EqualTo(check.ExtensionInstructions(RelayDirection.ToServer, ExtensionFields.Hello)),
                    "to upstream's server nothing in 40-59 but the hello: no stream frame");
                Assert.That(check.ExtensionInstructions(RelayDirection.ToClient), Is.Zero);
            }
            else
            {
                Assert.That(check.ExtensionInstructions(RelayDirection.ToClient), Is.Zero, "upstream's client gets nothing in 40-59");
                Assert.That(check.ExtensionInstructions(RelayDirection.ToServer), Is.Zero);
            }
        });
    }
}
