using Mosh.Network;

namespace Mosh.Tests.Network;

[TestFixture]
public class FragmentTests
{
    [Test]
    public void HeaderIsBigEndianIdThenFinalFlagAndNumber()
    {
        var fragment = new Fragment(0x0102030405060708, 0x0203, isFinal: true, "xy"u8);
        var buffer = new byte[fragment.EncodedLength];
        Assert.That(fragment.WriteTo(buffer), Is.EqualTo(12));
        Assert.That(buffer, Is.EqualTo(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 0x82, 0x03, (byte)'x', (byte)'y' }));
    }

    [Test]
    public void ParsingReadsBackWhatWasWritten()
    {
        byte[] wire = [0, 0, 0, 0, 0, 0, 0, 9, 0x7F, 0xFF, 42];
        Assert.That(Fragment.TryParse(wire, out Fragment fragment), Is.True);
        Assert.That(fragment.InstructionId, Is.EqualTo(9UL));
        Assert.That(fragment.FragmentNumber, Is.EqualTo(0x7FFF));
        Assert.That(fragment.IsFinal, Is.False);
        Assert.That(fragment.Contents.ToArray(), Is.EqualTo(new byte[] { 42 }));
    }

    [Test]
    public void HeaderOnlyFragmentHasEmptyContents()
    {
        byte[] wire = [0, 0, 0, 0, 0, 0, 0, 1, 0x80, 0x00];
        Assert.That(Fragment.TryParse(wire, out Fragment fragment), Is.True);
        Assert.That(fragment.IsFinal, Is.True);
        Assert.That(fragment.Contents.IsEmpty, Is.True);
    }

    [Test]
    public void PayloadShorterThanTheHeaderIsRefused()
    {
        Assert.That(Fragment.TryParse(new byte[9], out _), Is.False);
        Assert.That(Fragment.TryParse([], out _), Is.False);
    }

    [Test]
    public void FragmentNumberBeyondFifteenBitsCannotBeWritten()
    {
        Assert.That(() => Fragment.WriteHeader(new byte[10], 1, 0x8000, false), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void MtuBudgetsMatchUpstream()
    {
        Assert.That(NetworkConstants.IPV4_SEND_MTU, Is.EqualTo(1252));
        Assert.That(NetworkConstants.IPV6_SEND_MTU, Is.EqualTo(1216));
        Assert.That(NetworkConstants.IPV4_FRAGMENT_PAYLOAD, Is.EqualTo(1214));
        Assert.That(NetworkConstants.IPV6_FRAGMENT_PAYLOAD, Is.EqualTo(1178));
        Assert.That(NetworkConstants.DEFAULT_FRAGMENT_PAYLOAD, Is.EqualTo(462));
        Assert.That(NetworkConstants.FragmentPayloadBudget(NetworkConstants.DEFAULT_SEND_MTU), Is.EqualTo(462));
        Assert.That(NetworkConstants.FragmenterMtu(NetworkConstants.IPV4_SEND_MTU), Is.EqualTo(1224));
    }
}
