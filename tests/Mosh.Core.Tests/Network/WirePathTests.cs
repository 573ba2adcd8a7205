using System.Buffers;
using CsCheck;
using Mosh.Crypto;
using Mosh.Network;
using Mosh.Protobufs;

namespace Mosh.Tests.Network;

/// <summary>The layers composed as the transport uses them: instruction -> fragments -> datagrams and back.</summary>
[TestFixture]
public class WirePathTests
{
    [Test]
    public void HostDiffSurvivesTheWholePathThroughLossDuplicationAndReordering()
    {
        SessionKey key = SessionKey.Generate();
        using var serverSession = new CryptoSession(key);
        using var clientSession = new CryptoSession(key);
        using var sendCompressor = new Compressor();
        using var receiveCompressor = new Compressor();
        var server = new PacketCodec(serverSession, isServer: true);
        var client = new PacketCodec(clientSession, isServer: false);
        var fragmenter = new Fragmenter(sendCompressor);
        var assembly = new FragmentAssembly(receiveCompressor);
        var plaintext = new byte[NetworkConstants.RECEIVE_MTU];

        Gen.Select(Gen.Byte.Array[0, 8000], Gen.Int).Sample(t =>
        {
            (byte[] output, int seed) = t;
            var random = new Random(seed);
            var diff = new ArrayBufferWriter<byte>();
            HostInstruction.ForEchoAck(9).WriteTo(diff);
            HostInstruction.ForHostBytes(output).WriteTo(diff);
            var instruction = new TransportInstruction
            {
                ProtocolVersion = NetworkConstants.MOSH_PROTOCOL_VERSION,
                OldNum = 1,
                NewNum = 2,
                AckNum = 0,
                ThrowawayNum = 0,
                Diff = diff.WrittenSpan,
                Chaff = new byte[random.Next(17)],
            };

            // Send the instruction twice (a retransmission, same id), losing a third of the datagrams at random.
            var datagrams = new List<byte[]>();
            var buffer = new byte[NetworkConstants.IPV6_SEND_MTU];
            for (int round = 0; round < 2; round++)
            {
                FragmentBatch batch = fragmenter.MakeFragments(instruction, NetworkConstants.FragmenterMtu(NetworkConstants.IPV6_SEND_MTU));
                for (int i = 0; i < batch.Count; i++)
                {
                    int payload = batch[i].WriteTo(buffer.AsSpan(PacketCodec.PayloadOffset));
                    int length = server.SealInPlace(0, Timestamp16.None, payload, buffer);
                    Assert.That(length, Is.LessThanOrEqualTo(NetworkConstants.IPV6_SEND_MTU));
                    if (random.Next(3) != 0 || round == 1)
                    {
                        datagrams.Add(buffer[..length]);
                    }
                }
            }

            bool delivered = false;
            foreach (byte[] datagram in datagrams.OrderBy(_ => random.Next()))
            {
                Assert.That(client.TryOpen(datagram, plaintext, out Packet packet), Is.True);
                Assert.That(Fragment.TryParse(packet.Payload, out Fragment fragment), Is.True);
                if (assembly.Add(fragment))
                {
                    Assert.That(assembly.TryTakeInstruction(out TransportInstruction received), Is.True);
                    Assert.That(HostMessage.TryParse(received.Diff, out HostMessage message), Is.True);
                    Assert.That(message.Count, Is.EqualTo(2));
                    var e = message.GetEnumerator();
                    Assert.That(e.MoveNext() && e.Current.EchoAckNum == 9, Is.True);
                    Assert.That(e.MoveNext() && e.Current.HostString.SequenceEqual(output), Is.True);
                    delivered = true;
                    break;
                }
            }

            Assert.That(delivered, Is.True, "the retransmission's fragments fill the gaps");
        }, iter: 100, threads: 1);
    }
}
