using Mosh.EndToEnd.Harness;
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
}
