using Mosh.StateSync;
using static Mosh.StateSync.TransportConstants;

namespace Mosh.Tests.StateSync;

[TestFixture]
public class EchoSendTimingTests
{
    [Test]
    public void Output_without_recent_keystrokes_is_collected_for_the_usual_eight_ms()
    {
        var timing = new EchoSendTiming();
        Assert.That(timing.SendMinDelayFor(10, 1000), Is.EqualTo(SEND_MINDELAY));
    }

    [Test]
    public void The_echo_of_typed_characters_goes_out_without_waiting()
    {
        var timing = new EchoSendTiming();
        timing.KeystrokesDelivered("a"u8, 1000);
        Assert.That(timing.SendMinDelayFor(1, 1001), Is.EqualTo(EchoSendTiming.EchoSendMinDelay));
        timing.KeystrokesDelivered("\u00e9\x7f"u8, 2000);
        Assert.That(timing.SendMinDelayFor(3, 2000 + EchoSendTiming.EchoWindowMs), Is.EqualTo(EchoSendTiming.EchoSendMinDelay),
            "UTF-8 and backspace are echoed in place too");
    }

    [TestCase("\r", TestName = "Output after CR is collected")]
    [TestCase("\x03", TestName = "Output after Ctrl-C is collected")]
    [TestCase("ls\r", TestName = "Output after a command line is collected")]
    [TestCase("\e[A", TestName = "Output after an arrow key is collected")]
    public void Output_after_a_control_key_is_collected_as_it_may_be_a_commands_output(string keys)
    {
        var timing = new EchoSendTiming();
        timing.KeystrokesDelivered(System.Text.Encoding.ASCII.GetBytes(keys), 1000);
        Assert.That(timing.SendMinDelayFor(1, 1001), Is.EqualTo(SEND_MINDELAY));
    }

    [Test]
    public void Output_long_after_the_keys_is_collected()
    {
        var timing = new EchoSendTiming();
        timing.KeystrokesDelivered("a"u8, 1000);
        Assert.That(timing.SendMinDelayFor(1, 1001 + EchoSendTiming.EchoWindowMs), Is.EqualTo(SEND_MINDELAY));
    }

    [Test]
    public void Bulk_output_after_a_keystroke_is_collected_once_it_exceeds_an_echo_and_until_the_next_keys()
    {
        var timing = new EchoSendTiming();
        timing.KeystrokesDelivered("y"u8, 1000);
        Assert.That(timing.SendMinDelayFor(EchoSendTiming.EchoBytesLimit, 1001), Is.EqualTo(EchoSendTiming.EchoSendMinDelay));
        Assert.That(timing.SendMinDelayFor(1, 1002), Is.EqualTo(SEND_MINDELAY));
        Assert.That(timing.SendMinDelayFor(1, 1003), Is.EqualTo(SEND_MINDELAY), "the rest of the output too");
        timing.KeystrokesDelivered("y"u8, 1100);
        Assert.That(timing.SendMinDelayFor(16384, 1101), Is.EqualTo(SEND_MINDELAY), "a large read at once is not an echo");
    }
}
