using System.Security.Cryptography;
using System.Text;
using Mosh.EndToEnd.Harness;

namespace Mosh.EndToEnd.Session;

/// <summary>
/// The EMSGSIZE fallback, provoked in the real kernel: the whole session runs in a private network namespace whose
/// loopback MTU is 576, so mosh's 1252-byte datagrams do not fit. Mosh turns path MTU discovery off on its sockets
/// (as upstream does), so the kernel fragments them and nothing fails; the test then turns it on (IP_PMTUDISC_DO)
/// on the running server's and client's own sockets through pidfd_getfd, and from then on every oversize sendto()
/// fails with EMSGSIZE. Large frames must still get through, in datagrams of at most 500 bytes: the fallback MTU.
/// </summary>
[TestFixture]
[NonParallelizable]
public class MtuFallbackTests
{
    private const int LoopbackMtu = 576;
    private const int FallbackMtu = 500; // upstream's DEFAULT_SEND_MTU
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    [Test]
    public async Task When_sendto_fails_with_emsgsize_both_sides_fall_back_to_500_byte_datagrams_and_large_frames_still_arrive()
    {
        MoshPrograms ours = MoshPrograms.RequireOurs();
        await using NetworkNamespace network = await NetworkNamespace.CreateAsync(LoopbackMtu);
        await using MoshServer server = await MoshServer.StartAsync(ours, new MoshServerOptions { Launcher = network.Exec });
        using UdpRelay relay = network.Run(() => UdpRelay.Start(server.Port));
        var sizes = new DatagramSizes();
        relay.Inspector = sizes.Record;
        await using TmuxSession terminal = await MoshClient.StartAsync(ours.Client, relay.Port, server.Key, launcher: network.Exec);
        await terminal.WaitForScreenAsync(TestShell.ShowsPrompt, "the prompt inside the namespace; " + relay, Generous);
        int clientPid = await terminal.PanePidAsync();
        Assert.That(File.ReadAllText($"/proc/{clientPid}/comm").Trim(), Is.EqualTo("mosh-client"));

        // Before: full-size datagrams, fragmented by the kernel on the 576-byte loopback.
        await ShowScreenfulAsync(terminal, seed: 1);
        TestContext.Out.WriteLine($"before: largest datagram to the client {sizes.Largest(RelayDirection.ToClient)} bytes");
        Assert.That(sizes.Largest(RelayDirection.ToClient), Is.GreaterThan(LoopbackMtu), "a screenful needs datagrams above the loopback MTU");

        Assert.That(ProcessSockets.SetMtuDiscovery(server.Pid, ProcessSockets.IP_PMTUDISC_DO), Is.EqualTo(1), "the server's one UDP socket");
        Assert.That(ProcessSockets.SetMtuDiscovery(clientPid, ProcessSockets.IP_PMTUDISC_DO), Is.EqualTo(1), "the client's one UDP socket");
        sizes.Reset();

        // Server to client: a screenful of incompressible text, several full fragments.
        await ShowScreenfulAsync(terminal, seed: 2);
        // Client to server: one paste much larger than a datagram, checked by its digest on the server side.
        string paste = RandomText(seed: 3, 1500);
        // Only once sha256sum reads the terminal (the tty is in canonical mode by the time "ready" shows): keys that
        // reach bash while readline has the tty raw would be taken as raw bytes, Enter and Ctrl-D included.
        await terminal.SendLineAsync("echo \"r\"\"eady\"; sha256sum");
        await terminal.WaitForLineAsync("ready", Generous);
        await terminal.SendTextAsync(paste);
        await terminal.SendKeysAsync("Enter", "C-d");
        string digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(paste + "\n")));
        await terminal.WaitForLineAsync(digest + "  -", Generous);
        // The client showed "mosh: sendto: Message too long" when its send failed; it goes once sends succeed.
        await terminal.WaitForScreenAsync(screen => !screen.StartsWith("mosh: ", StringComparison.Ordinal), "the send error to leave the top row", Generous);

        TestContext.Out.WriteLine($"after: largest datagram to the client {sizes.Largest(RelayDirection.ToClient)}, to the server {sizes.Largest(RelayDirection.ToServer)} bytes; {relay}");
        foreach (RelayDirection direction in new[] { RelayDirection.ToClient, RelayDirection.ToServer })
        {
            Assert.That(sizes.Largest(direction), Is.EqualTo(FallbackMtu), $"{direction}: full fragments at the fallback MTU, none larger");
        }
        relay.ThrowIfFailed();
    }

    /// <summary>Prints 20 lines of random letters (too random for zlib to shrink much) and waits for all of them.</summary>
    private static async Task ShowScreenfulAsync(TmuxSession terminal, int seed)
    {
        string[] lines = RandomText(seed, 20 * 78).Chunk(78).Select(chunk => new string(chunk)).ToArray();
        string file = Path.Combine(Path.GetTempPath(), $"mosh-e2e-mtu-{Environment.ProcessId}-{seed}.txt");
        await File.WriteAllLinesAsync(file, lines);
        try
        {
            await terminal.SendLineAsync("clear; cat " + file);
            await terminal.WaitForScreenAsync(
                screen => TestShell.ShowsPrompt(screen) && lines.All(line => screen.Contains(line, StringComparison.Ordinal)),
                "all 20 random lines", Generous);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static string RandomText(int seed, int length)
    {
        const string Alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        var random = new Random(seed);
        return string.Create(length, random, (span, r) =>
        {
            for (int i = 0; i < span.Length; i++)
            {
                span[i] = Alphabet[r.Next(Alphabet.Length)];
            }
        });
    }

    /// <summary>The largest datagram the relay saw each way since the last reset (written by the relay thread).</summary>
    private sealed class DatagramSizes
    {
        private readonly int[] largest = new int[2];

        public void Record(RelayDirection direction, ReadOnlySpan<byte> datagram)
        {
            ref int slot = ref largest[(int)direction];
            Volatile.Write(ref slot, Math.Max(Volatile.Read(ref slot), datagram.Length));
        }

        public int Largest(RelayDirection direction) => Volatile.Read(ref largest[(int)direction]);

        public void Reset()
        {
            Volatile.Write(ref largest[0], 0);
            Volatile.Write(ref largest[1], 0);
        }
    }
}
