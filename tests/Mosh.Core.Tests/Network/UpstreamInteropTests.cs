using System.Buffers;
using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Mosh.Crypto;
using Mosh.Network;
using Mosh.Protobufs;

namespace Mosh.Tests.Network;

/// <summary>
/// Our wire layer against Debian's upstream mosh-server 1.4.0: it must accept our datagrams (OCB, timestamps,
/// fragment header, zlib, Instruction and UserMessage encodings) and we must decode its replies down to HostMessage.
/// </summary>
[TestFixture]
public partial class UpstreamInteropTests
{
    private const string MoshServer = "/usr/bin/mosh-server";

    [GeneratedRegex(@"^MOSH CONNECT (\d+) ([A-Za-z0-9/+]{22})\s*$", RegexOptions.Multiline)]
    private static partial Regex ConnectLine();

    [GeneratedRegex(@"detached, pid = (\d+)")]
    private static partial Regex DetachedPid();

    [Test]
    [CancelAfter(30_000)]
    public void UpstreamServerAcceptsOurInstructionAndWeDecodeItsScreen()
    {
        if (!File.Exists(MoshServer))
        {
            Assert.Ignore("upstream mosh-server is not installed");
        }

        var start = new ProcessStartInfo(MoshServer)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[] { "new", "-p", "0", "-i", "127.0.0.1", "--", "/bin/sh", "-c", "printf interop-hello; sleep 20" })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["LANG"] = "C.UTF-8";
        using var launcher = Process.Start(start)!;
        string stdout = launcher.StandardOutput.ReadToEnd();
        string stderr = launcher.StandardError.ReadToEnd();
        launcher.WaitForExit();
        Match connect = ConnectLine().Match(stdout);
        Match pid = DetachedPid().Match(stderr);
        Assert.That(connect.Success, Is.True, stdout + stderr);
        try
        {
            string hostText = RunClient(SessionKey.Parse(connect.Groups[2].Value), connect.Groups[1].Value, out ulong serverNewNum);
            Assert.That(serverNewNum, Is.GreaterThan(0UL));
            Assert.That(hostText, Does.Contain("interop-hello"));
        }
        finally
        {
            if (pid.Success)
            {
                try
                {
                    Process.GetProcessById(int.Parse(pid.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).Kill();
                }
                catch (ArgumentException)
                {
                }
            }
        }
    }

    private static string RunClient(SessionKey key, string port, out ulong serverNewNum)
    {
        using var connection = Connection.CreateClient(key, "127.0.0.1", port);
        using var sendCompressor = new Compressor();
        using var receiveCompressor = new Compressor();
        var fragmenter = new Fragmenter(sendCompressor);
        var assembly = new FragmentAssembly(receiveCompressor);

        // Our state 1 = "the user's terminal is 80x24", as upstream's client opens every session.
        var diff = new ArrayBufferWriter<byte>();
        UserInstruction.ForResize(80, 24).WriteTo(diff);

        var text = new StringBuilder();
        serverNewNum = 0;
        var clock = Stopwatch.StartNew();
        long lastSend = -1000;
        while (clock.ElapsedMilliseconds < 15_000 && !text.ToString().Contains("interop-hello", StringComparison.Ordinal))
        {
            if (clock.ElapsedMilliseconds - lastSend > 200)
            {
                lastSend = clock.ElapsedMilliseconds;
                var instruction = new TransportInstruction
                {
                    ProtocolVersion = NetworkConstants.MOSH_PROTOCOL_VERSION,
                    OldNum = 0,
                    NewNum = 1,
                    AckNum = serverNewNum,
                    ThrowawayNum = 0,
                    Diff = diff.WrittenSpan,
                    Chaff = "\u0001\u0002\u0003"u8,
                };
                FragmentBatch batch = fragmenter.MakeFragments(instruction, NetworkConstants.FragmenterMtu(connection.Mtu));
                for (int i = 0; i < batch.Count; i++)
                {
                    connection.Send(batch[i].WriteTo(connection.PayloadBuffer));
                }
            }

            if (!connection.WaitForDatagram(50))
            {
                continue;
            }

            while (connection.TryReceive(out ReadOnlySpan<byte> payload))
            {
                Assert.That(Fragment.TryParse(payload, out Fragment fragment), Is.True);
                if (!assembly.Add(fragment))
                {
                    continue;
                }

                Assert.That(assembly.TryTakeInstruction(out TransportInstruction received), Is.True);
                Assert.That(received.ProtocolVersion, Is.EqualTo(NetworkConstants.MOSH_PROTOCOL_VERSION));
                Assert.That(HostMessage.TryParse(received.Diff, out HostMessage message), Is.True);
                if (received.OldNum == serverNewNum && received.NewNum != serverNewNum)
                {
                    // A diff from the state we hold: apply it (here: collect its text) and acknowledge it next time.
                    serverNewNum = received.NewNum;
                    foreach (HostInstruction host in message)
                    {
                        text.Append(Encoding.UTF8.GetString(host.HostString));
                    }
                }
            }
        }

        Assert.That(connection.Rtt.HasSample, Is.True, "upstream echoed our timestamps");
        Assert.That(connection.Stats.Dropped, Is.Zero);
        return text.ToString();
    }
}
