using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Mosh.Crypto;
using Mosh.Network;
using Mosh.Protobufs;

namespace Mosh.Tests.Network;

/// <summary>
/// Our wire layer against Debian's upstream mosh-server 1.4.0: it must accept our datagrams (OCB, timestamps,
/// fragment header, zlib, Instruction and UserMessage encodings, our fragmentation) and we must decode its replies
/// (its fragmentation) down to HostMessage. Every wait has its own 10 s deadline; run-tests.sh's hang timeout
/// bounds anything else.
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
    public void UpstreamServerAcceptsOurInstructionAndWeDecodeItsScreen()
    {
        using var server = UpstreamServer.Start("printf interop-hello; sleep 20");
        using var client = new WireClient(server);
        client.SendUntilAcknowledged(UserInstruction.ForResize(80, 24));
        Assert.That(client.WaitForText("interop-hello"), Is.True, client.Text);
        Assert.That(client.Connection.Rtt.HasSample, Is.True, "upstream echoed our timestamps");
        Assert.That(client.Connection.Stats.Dropped, Is.Zero);
    }

    [Test]
    public void MultiFragmentInstructionsAreAssembledInBothDirections()
    {
        using var server = UpstreamServer.Start("stty -icanon; exec cat");
        using var client = new WireClient(server);
        client.SendUntilAcknowledged(UserInstruction.ForResize(200, 60));

        // 3000 random letters barely compress: our instruction needs several 1214-byte fragments.
        var random = new Random(5);
        var keys = new StringBuilder();
        for (int i = 0; i < 3000; i++)
        {
            keys.Append((char)('a' + random.Next(26)));
        }

        keys.Append("ENDMARK");
        client.SendUntilAcknowledged(UserInstruction.ForKeystroke(Encoding.ASCII.GetBytes(keys.ToString())));
        Assert.That(client.LargestOutgoingFragmentCount, Is.GreaterThan(1));

        // The echoed screen is as incompressible, so upstream's instruction comes back in several fragments too.
        Assert.That(client.WaitForText("ENDMARK"), Is.True, client.Text);
        Assert.That(client.LargestIncomingFragmentNumber, Is.GreaterThan(0));
        Assert.That(client.Text, Does.Contain(keys.ToString(0, 150)));
    }

    [Test]
    public void UpstreamClientsFirstInstructionOpensAtOurServer()
    {
        Prerequisite.RequireFiles("upstream mosh-client or script(1)", "/usr/bin/mosh-client", "/usr/bin/script");

        SessionKey key = SessionKey.Generate();
        var log = new List<string>();
        using var server = Connection.CreateServer(key, "127.0.0.1", new PortRange(0, 0), log: log.Add);
        using var compressor = new Compressor();
        var assembly = new FragmentAssembly(compressor);

        // mosh-client needs a terminal: script(1) gives it a pseudo-terminal.
        var start = new ProcessStartInfo("/usr/bin/script")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[] { "-qfec", $"stty cols 100 rows 30; exec mosh-client 127.0.0.1 {server.Port}", "/dev/null" })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["MOSH_KEY"] = key.ToString();
        start.Environment["LANG"] = "C.UTF-8";
        start.Environment["TERM"] = "xterm";
        using var client = Process.Start(start)!;
        try
        {
            var clock = Stopwatch.StartNew();
            while (clock.ElapsedMilliseconds < 10_000)
            {
                _ = server.WaitForDatagram(100);
                while (server.TryReceive(out ReadOnlySpan<byte> payload))
                {
                    Assert.That(Fragment.TryParse(payload, out Fragment fragment), Is.True);
                    if (!assembly.Add(fragment))
                    {
                        continue;
                    }

                    Assert.That(assembly.TryTakeSerializedInstruction(out ReadOnlySpan<byte> serialized), Is.True);
                    Assert.That(TransportInstruction.TryParse(serialized, out TransportInstruction instruction), Is.True);
                    var again = new byte[instruction.ComputeSize()];
                    _ = instruction.TryWriteTo(again, out _);
                    Assert.That(again.AsSpan().SequenceEqual(serialized), Is.True, "TransportInstruction re-encoding differs");
                    Assert.That(instruction.ProtocolVersion, Is.EqualTo(NetworkConstants.MOSH_PROTOCOL_VERSION));
                    Assert.That(UserMessage.TryParse(instruction.Diff, out UserMessage message), Is.True);
                    if (instruction.NewNum == 0 || message.Count == 0)
                    {
                        continue; // an empty ack or keepalive
                    }

                    var diff = new ArrayBufferWriter<byte>();
                    UserInstruction first = default;
                    bool any = false;
                    foreach (UserInstruction user in message)
                    {
                        user.WriteTo(diff);
                        if (!any)
                        {
                            first = user;
                            any = true;
                        }
                    }

                    Assert.That(diff.WrittenSpan.SequenceEqual(instruction.Diff), Is.True, "UserMessage re-encoding differs");
                    Assert.That(first.HasResize, Is.True, "upstream's client opens with its window size");
                    Assert.That((first.Resize.Width, first.Resize.Height), Is.EqualTo((100, 30)));
                    Assert.That(log, Has.Some.StartsWith("Server now attached to client at 127.0.0.1:"));
                    return;
                }
            }

            Assert.Fail("no instruction from upstream mosh-client");
        }
        finally
        {
            client.Kill(entireProcessTree: true);
        }
    }

    /// <summary>A detached upstream mosh-server on loopback, killed on dispose.</summary>
    private sealed class UpstreamServer : IDisposable
    {
        private int _pid;

        public required SessionKey Key { get; init; }

        public required string Port { get; init; }

        public static UpstreamServer Start(string shellCommand)
        {
            Prerequisite.RequireFiles("upstream mosh-server", MoshServer);

            var start = new ProcessStartInfo(MoshServer)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                UseShellExecute = false,
            };
            foreach (string arg in new[] { "new", "-p", "0", "-i", "127.0.0.1", "--", "/bin/sh", "-c", shellCommand })
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
            Assert.That(connect.Success && pid.Success, Is.True, stdout + stderr);
            return new UpstreamServer
            {
                Key = SessionKey.Parse(connect.Groups[2].Value),
                Port = connect.Groups[1].Value,
                _pid = int.Parse(pid.Groups[1].Value, CultureInfo.InvariantCulture),
            };
        }

        public void Dispose()
        {
            try
            {
                Process.GetProcessById(_pid).Kill();
            }
            catch (ArgumentException)
            {
            }
        }
    }

    /// <summary>
    /// The smallest honest client transport: our states are numbered 0, 1, 2...; each new state is the previous one
    /// plus one user instruction, resent every 200 ms until acknowledged. Server diffs are applied only when based
    /// on the state we hold (here "applied" means their text is collected), and acknowledged.
    /// </summary>
    private sealed class WireClient : IDisposable
    {
        private readonly Compressor _sendCompressor = new();
        private readonly Compressor _receiveCompressor = new();
        private readonly Fragmenter _fragmenter;
        private readonly FragmentAssembly _assembly;
        private readonly StringBuilder _text = new();
        private ulong _ourNum;
        private ulong _ackedByServer;
        private ulong _serverNum;

        public WireClient(UpstreamServer server)
        {
            Connection = Connection.CreateClient(server.Key, "127.0.0.1", server.Port);
            _fragmenter = new Fragmenter(_sendCompressor);
            _assembly = new FragmentAssembly(_receiveCompressor);
        }

        public Connection Connection { get; }

        public string Text => _text.ToString();

        public int LargestOutgoingFragmentCount { get; private set; }

        public int LargestIncomingFragmentNumber { get; private set; }

        public void SendUntilAcknowledged(UserInstruction instruction)
        {
            var diff = new ArrayBufferWriter<byte>();
            instruction.WriteTo(diff);
            ulong target = ++_ourNum;
            var clock = Stopwatch.StartNew();
            long lastSend = -1000;
            while (_ackedByServer < target)
            {
                Assert.That(clock.ElapsedMilliseconds, Is.LessThan(10_000), $"state {target} never acknowledged");
                if (clock.ElapsedMilliseconds - lastSend > 200)
                {
                    lastSend = clock.ElapsedMilliseconds;
                    Send(target - 1, target, diff.WrittenSpan);
                }

                Pump(50);
            }
        }

        public bool WaitForText(string expected)
        {
            var clock = Stopwatch.StartNew();
            long lastAck = 0;
            while (!_text.ToString().Contains(expected, StringComparison.Ordinal))
            {
                if (clock.ElapsedMilliseconds > 10_000)
                {
                    return false;
                }

                if (clock.ElapsedMilliseconds - lastAck > 100)
                {
                    lastAck = clock.ElapsedMilliseconds;
                    Send(_ourNum, _ourNum, default); // empty ack of the newest server state
                }

                Pump(50);
            }

            return true;
        }

        private void Send(ulong oldNum, ulong newNum, ReadOnlySpan<byte> diff)
        {
            var instruction = new TransportInstruction
            {
                ProtocolVersion = NetworkConstants.MOSH_PROTOCOL_VERSION,
                OldNum = oldNum,
                NewNum = newNum,
                AckNum = _serverNum,
                ThrowawayNum = _ackedByServer,
                Diff = diff,
                Chaff = "\u0001\u0002\u0003"u8,
            };
            FragmentBatch batch = _fragmenter.MakeFragments(instruction, NetworkConstants.FragmenterMtu(Connection.Mtu));
            LargestOutgoingFragmentCount = Math.Max(LargestOutgoingFragmentCount, batch.Count);
            for (int i = 0; i < batch.Count; i++)
            {
                Connection.Send(batch[i].WriteTo(Connection.PayloadBuffer));
            }
        }

        private void Pump(int timeoutMilliseconds)
        {
            _ = Connection.WaitForDatagram(timeoutMilliseconds);
            while (Connection.TryReceive(out ReadOnlySpan<byte> payload))
            {
                Assert.That(Fragment.TryParse(payload, out Fragment fragment), Is.True);
                LargestIncomingFragmentNumber = Math.Max(LargestIncomingFragmentNumber, fragment.FragmentNumber);
                if (!_assembly.Add(fragment))
                {
                    continue;
                }

                Assert.That(_assembly.TryTakeSerializedInstruction(out ReadOnlySpan<byte> serialized), Is.True);
                Assert.That(TransportInstruction.TryParse(serialized, out TransportInstruction received), Is.True);
                Assert.That(received.ProtocolVersion, Is.EqualTo(NetworkConstants.MOSH_PROTOCOL_VERSION));
                Assert.That(HostMessage.TryParse(received.Diff, out HostMessage message), Is.True);
                AssertReencodesIdentically(serialized, received, message);
                _ackedByServer = Math.Max(_ackedByServer, received.AckNum);
                if (received.OldNum == _serverNum && received.NewNum != _serverNum)
                {
                    _serverNum = received.NewNum;
                    foreach (HostInstruction host in message)
                    {
                        _text.Append(Encoding.UTF8.GetString(host.HostString));
                    }
                }
            }
        }

        /// <summary>Upstream's protobuf-lite bytes must be exactly what our encoder makes of the parsed values.</summary>
        private static void AssertReencodesIdentically(ReadOnlySpan<byte> serialized, in TransportInstruction instruction, in HostMessage message)
        {
            var again = new byte[instruction.ComputeSize()];
            Assert.That(instruction.TryWriteTo(again, out _), Is.True);
            Assert.That(again.AsSpan().SequenceEqual(serialized), Is.True, "TransportInstruction re-encoding differs");

            var diff = new ArrayBufferWriter<byte>();
            foreach (HostInstruction host in message)
            {
                host.WriteTo(diff);
            }

            Assert.That(diff.WrittenSpan.SequenceEqual(instruction.Diff), Is.True, "HostMessage re-encoding differs");
        }

        public void Dispose()
        {
            Connection.Dispose();
            _sendCompressor.Dispose();
            _receiveCompressor.Dispose();
        }
    }
}
