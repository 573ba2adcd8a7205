using CsCheck;
using Google.Protobuf;
using Mosh.Tests.Protobufs.Oracle;

namespace Mosh.Tests.Protobufs;

/// <summary>Random messages built with Google.Protobuf's generated classes, each optional field present or not.</summary>
internal static class OracleGen
{
    private static readonly Gen<ByteString> Bytes = Gen.Byte.Array[0, 300].Select(ByteString.CopyFrom);

    /// <summary>Wide-ranged values: small, mid and full 64-bit, so every varint length occurs.</summary>
    private static readonly Gen<ulong> Num = Gen.OneOf(Gen.ULong[0, 200], Gen.ULong[0, 1UL << 35], Gen.ULong);

    private static readonly Gen<int> Dimension = Gen.OneOf(Gen.Int[0, 500], Gen.Int);

    private static Gen<T?> Maybe<T>(Gen<T> gen) where T : class => Gen.Bool.SelectMany(present => present ? gen.Select(v => (T?)v) : Gen.Const((T?)null));

    public static readonly Gen<OracleInstruction> Instruction =
        Gen.Select(Gen.Byte, Gen.UInt, Num.Array[5], Bytes, Bytes)
            .Select(t =>
            {
                (byte mask, uint version, ulong[] nums, ByteString diff, ByteString chaff) = t;
                var m = new OracleInstruction();
                if ((mask & 1) != 0) m.ProtocolVersion = version;
                if ((mask & 2) != 0) m.OldNum = nums[0];
                if ((mask & 4) != 0) m.NewNum = nums[1];
                if ((mask & 8) != 0) m.AckNum = nums[2];
                if ((mask & 16) != 0) m.ThrowawayNum = nums[3];
                if ((mask & 32) != 0) m.Diff = diff;
                if ((mask & 64) != 0) m.Chaff = chaff;
                return m;
            });

    private static readonly Gen<OracleUserResize> UserResize =
        Gen.Select(Gen.Bool, Gen.Bool, Dimension, Dimension).Select(t =>
        {
            var r = new OracleUserResize();
            if (t.Item1) r.Width = t.Item3;
            if (t.Item2) r.Height = t.Item4;
            return r;
        });

    private static readonly Gen<OracleKeystroke> Keystroke =
        Gen.Select(Gen.Bool, Bytes).Select(t => t.Item1 ? new OracleKeystroke { Keys = t.Item2 } : new OracleKeystroke());

    public static readonly Gen<OracleUserInstruction> UserInstruction =
        Gen.Select(Maybe(Keystroke), Maybe(UserResize)).Select(t => new OracleUserInstruction { Keystroke = t.Item1, Resize = t.Item2 });

    public static readonly Gen<OracleUserMessage> UserMessage =
        UserInstruction.List[0, 6].Select(list =>
        {
            var m = new OracleUserMessage();
            m.Instruction.AddRange(list);
            return m;
        });

    private static readonly Gen<OracleHostResize> HostResize =
        Gen.Select(Gen.Bool, Gen.Bool, Dimension, Dimension).Select(t =>
        {
            var r = new OracleHostResize();
            if (t.Item1) r.Width = t.Item3;
            if (t.Item2) r.Height = t.Item4;
            return r;
        });

    private static readonly Gen<OracleHostBytes> HostBytes =
        Gen.Select(Gen.Bool, Bytes).Select(t => t.Item1 ? new OracleHostBytes { Hoststring = t.Item2 } : new OracleHostBytes());

    private static readonly Gen<OracleEchoAck> EchoAck =
        Gen.Select(Gen.Bool, Num).Select(t => t.Item1 ? new OracleEchoAck { EchoAckNum = t.Item2 } : new OracleEchoAck());

    public static readonly Gen<OracleHostInstruction> HostInstruction =
        Gen.Select(Maybe(HostBytes), Maybe(HostResize), Maybe(EchoAck))
            .Select(t => new OracleHostInstruction { Hostbytes = t.Item1, Resize = t.Item2, Echoack = t.Item3 });

    public static readonly Gen<OracleHostMessage> HostMessage =
        HostInstruction.List[0, 6].Select(list =>
        {
            var m = new OracleHostMessage();
            m.Instruction.AddRange(list);
            return m;
        });
}
