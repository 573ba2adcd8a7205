using System.Globalization;
using Mosh.Crypto;
using Mosh.EndToEnd.Harness;
using Mosh.Network;
using Mosh.Protobufs;
using Mosh.StateSync;

namespace Mosh.EndToEnd.Session;

/// <summary>
/// A hostile client that holds the key sends 1000 states, each 1000 keystrokes on the last, and never lets the server
/// throw an old one away (throwaway number 0). Each received state is a full copy, so the server's memory grew
/// quadratically (the issue measured 638 MB); its receiver now holds at most 16 MiB of states, and the server's
/// peak resident size stays far below that figure while it goes on serving.
/// </summary>
[TestFixture]
[NonParallelizable]
public class HostileStateFloodTests
{
    private const int States = 1000;
    private const int KeysPerState = 1000;

    /// <summary>States sent before waiting for the server's ack: few enough for its socket buffer.</summary>
    private const ulong Window = 50;

    /// <summary>The receiver's 16 MiB, one state more, the server's own ~10 MB and GC headroom; before: 600+ MB.</summary>
    private const long PeakResidentCeilingKb = 120 * 1024;

    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    [Test]
    public async Task A_key_holder_that_never_lets_states_be_thrown_away_cannot_grow_the_servers_memory_past_a_ceiling()
    {
        MoshPrograms ours = MoshPrograms.RequireOurs();
        // An application that reads all its input, so every state the server accepts is consumed at once.
        await using MoshServer server = await MoshServer.StartAsync(ours,
            new MoshServerOptions { Command = ["/bin/sh", "-c", "stty raw -echo; exec cat > /dev/null"] });
        var key = SessionKey.Parse(server.Key);
        using Connection connection = Connection.CreateClient(key, "127.0.0.1", server.Port.ToString(CultureInfo.InvariantCulture));
        using var link = new TransportLink(connection);

        byte[][] diffs = new byte[States][];
        var random = new Random(7);
        for (int i = 0; i < States; i++)
        {
            byte[] keys = new byte[KeysPerState];
            for (int k = 0; k < keys.Length; k++)
            {
                keys[k] = (byte)('a' + random.Next(26)); // no control characters: the application must not stop
            }

            var stream = new UserStream();
            stream.PushKeystrokes(keys);
            var diff = new System.Buffers.ArrayBufferWriter<byte>();
            stream.InitDiff(diff);
            diffs[i] = diff.WrittenSpan.ToArray();
        }

        // A window of states at a time, each on the last (a lost one breaks the chain, so the window is sent again
        // from the server's ack), until all are acknowledged or the server stops acknowledging new ones.
        using var compressor = new Compressor();
        var assembly = new FragmentAssembly(compressor);
        ulong acked = 0;
        int stalled = 0;
        while (acked < States && stalled < 3)
        {
            for (ulong n = acked; n < Math.Min(acked + Window, States); n++)
            {
                link.Send(new TransportInstruction
                {
                    ProtocolVersion = NetworkConstants.MOSH_PROTOCOL_VERSION,
                    OldNum = n,
                    NewNum = n + 1,
                    AckNum = 0,
                    ThrowawayNum = 0,
                    Diff = diffs[n],
                });
            }

            ulong before = acked;
            var wait = System.Diagnostics.Stopwatch.StartNew();
            while (acked < Math.Min(before + Window, States) && wait.Elapsed < TimeSpan.FromSeconds(1))
            {
                if (!connection.WaitForDatagram(100))
                {
                    continue;
                }

                while (connection.TryReceive(out ReadOnlySpan<byte> payload))
                {
                    if (Fragment.TryParse(payload, out Fragment fragment) && assembly.Add(fragment)
                        && assembly.TryTakeInstruction(out TransportInstruction instruction))
                    {
                        acked = Math.Max(acked, instruction.AckNum);
                    }
                }
            }

            stalled = acked == before ? stalled + 1 : 0;
        }

        TestContext.Out.WriteLine($"the server acknowledged {acked} of {States} states");
        // Wait until the server has dealt with everything (its acks stop changing), then read its peak.
        long peak = await SettledPeakAsync(server.Pid);
        TestContext.Out.WriteLine($"server peak resident size after {States} states of {KeysPerState} keys: {peak / 1024} MB");
        Assert.That(server.HasExited, Is.False, "the server is still running");
        Assert.That(peak, Is.LessThan(PeakResidentCeilingKb), "VmHWM in kB");
    }

    /// <summary>VmHWM (kB) once it has stayed the same for two seconds.</summary>
    private static async Task<long> SettledPeakAsync(int pid)
    {
        long last = -1;
        DateTime stableSince = DateTime.UtcNow;
        DateTime deadline = DateTime.UtcNow + Generous;
        while (DateTime.UtcNow < deadline)
        {
            long peak = ReadStatus(pid, "VmHWM:");
            if (peak != last)
            {
                last = peak;
                stableSince = DateTime.UtcNow;
            }
            else if (DateTime.UtcNow - stableSince > TimeSpan.FromSeconds(2))
            {
                break;
            }

            await Task.Delay(200);
        }

        return last;
    }

    private static long ReadStatus(int pid, string field)
    {
        foreach (string line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException($"no {field} in /proc/{pid}/status");
    }
}
