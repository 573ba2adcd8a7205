using Mosh.EndToEnd.Harness;

namespace Mosh.EndToEnd;

/// <summary>
/// The Foundation interop check: every datagram upstream mosh-server and mosh-client exchange, in both
/// directions, is opened, resealed, reassembled, decompressed, parsed and re-encoded by OUR code and must come out
/// byte for byte identical (see <see cref="WireVerifier"/>).
/// </summary>
[TestFixture]
internal sealed class WireInteropTests
{
    [Test]
    public async Task Every_upstream_datagram_and_instruction_round_trips_through_our_wire_code_byte_for_byte()
    {
        WireVerifier? verifier = null;
        await using MoshSession session = await MoshSession.StartAsync(
            MoshPrograms.Upstream,
            MoshPrograms.Upstream,
            configureRelay: (server, relay) =>
            {
                verifier = new WireVerifier(server.Key);
                relay.Inspector = verifier.Inspect;
            });
        using WireVerifier check = verifier!;

        // Keystrokes and short output; a resize (ResizeMessage both ways) to a large window; then a screenful
        // of incompressible text, far more than one fragment holds; then the shutdown handshake.
        await session.RunCommandAsync("wire-check-1");
        await session.Client.ResizeAsync(160, 50);
        await session.Client.SendLineAsync("echo \"cols-$(tput cols)\"");
        await session.Client.WaitForLineAsync("cols-160");
        await session.Client.SendLineAsync("head -c 6000 /dev/urandom | base64 -w 150; echo \"done\"\"-random\"");
        await session.Client.WaitForLineAsync("done-random");
        // A 3000-character paste: one keystroke instruction too big for one fragment. It goes to the shell's own
        // line editor as arguments of ":" (a program reading it would race the tty's switch to cooked mode).
        await session.Client.SendLineAsync(": " + Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(2250)));
        await session.RunCommandAsync("wire-check-2", TimeSpan.FromSeconds(40));
        await session.Client.SendLineAsync("exit");
        Assert.That(await session.Client.WaitForExitAsync(), Is.Zero);

        TestContext.Out.WriteLine(check);
        TestContext.Out.WriteLine(session.Relay);
        Assert.Multiple(() =>
        {
            Assert.That(check.Mismatches, Is.Empty);
            Assert.That(check.MismatchCount, Is.Zero);
            Assert.That(session.Relay.InspectorFailures, Is.Empty);
            foreach (RelayDirection direction in new[] { RelayDirection.ToServer, RelayDirection.ToClient })
            {
                Assert.That(check.DatagramsChecked(direction), Is.EqualTo(session.Relay.Counters(direction).Received), $"{direction}: every datagram checked");
                Assert.That(check.InstructionsChecked(direction), Is.GreaterThan(0), $"{direction}: instructions");
                Assert.That(check.DiffsChecked(direction), Is.GreaterThan(0), $"{direction}: non-empty diffs");
            }
            Assert.That(check.MultiFragmentInstructions(RelayDirection.ToClient), Is.GreaterThan(0), "a 160x50 screen of random text needs several fragments");
            Assert.That(check.MultiFragmentInstructions(RelayDirection.ToServer), Is.GreaterThan(0), "a 3000-character paste needs several fragments");
        });
    }
}
