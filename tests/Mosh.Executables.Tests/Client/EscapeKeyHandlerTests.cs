using System.Text;
using Mosh.Client;

namespace Mosh.Tests.Client;

public class EscapeKeyHandlerTests
{
    private static (List<EscapeEvent> Events, byte[] Sent) Type(EscapeKeyHandler handler, params byte[] input)
    {
        var events = new List<EscapeEvent>();
        var sent = new List<byte>();
        Span<byte> output = stackalloc byte[2];
        foreach (byte b in input)
        {
            events.Add(handler.Feed(b, output, out int written));
            sent.AddRange(output[..written].ToArray());
        }

        return (events, sent.ToArray());
    }

    [Test]
    public void Ctrl_caret_then_dot_quits_without_sending_anything()
    {
        var (events, sent) = Type(EscapeKeyHandler.FromSetting(null), 0x1E, (byte)'.');
        Assert.That(events, Is.EqualTo(new[] { EscapeEvent.CommandStarted, EscapeEvent.Quit }));
        Assert.That(sent, Is.Empty);
    }

    [Test]
    public void Ctrl_caret_then_ctrl_z_suspends()
    {
        var (events, _) = Type(EscapeKeyHandler.FromSetting(null), 0x1E, 0x1A);
        Assert.That(events[^1], Is.EqualTo(EscapeEvent.Suspend));
    }

    [Test]
    public void Ctrl_caret_then_caret_sends_one_literal_ctrl_caret()
    {
        var (events, sent) = Type(EscapeKeyHandler.FromSetting(null), 0x1E, (byte)'^');
        Assert.That(events[^1], Is.EqualTo(EscapeEvent.CommandEnded));
        Assert.That(sent, Is.EqualTo(new byte[] { 0x1E }));
    }

    [Test]
    public void Ctrl_caret_then_another_key_sends_both()
    {
        var (_, sent) = Type(EscapeKeyHandler.FromSetting(null), 0x1E, (byte)'x', (byte)'y');
        Assert.That(sent, Is.EqualTo(new byte[] { 0x1E, (byte)'x', (byte)'y' }));
    }

    [Test]
    public void Ordinary_bytes_pass_through_and_ctrl_l_also_asks_for_a_repaint()
    {
        var (events, sent) = Type(EscapeKeyHandler.FromSetting(null), (byte)'a', 0x0C);
        Assert.That(sent, Is.EqualTo(new byte[] { (byte)'a', 0x0C }));
        Assert.That(events, Is.EqualTo(new[] { EscapeEvent.None, EscapeEvent.Repaint }));
    }

    [Test]
    public void An_empty_setting_disables_the_escape_key()
    {
        var handler = EscapeKeyHandler.FromSetting("");
        var (events, sent) = Type(handler, 0x1E, (byte)'.');
        Assert.That(events, Is.All.EqualTo(EscapeEvent.None));
        Assert.That(sent, Is.EqualTo(new byte[] { 0x1E, (byte)'.' }));
        Assert.That(handler.HelpText, Is.Null);
    }

    [Test]
    public void A_control_key_setting_is_passed_by_its_letter_in_either_case()
    {
        var handler = EscapeKeyHandler.FromSetting("\u0001"); // Ctrl-A
        Assert.That(handler.KeyName, Is.EqualTo("Ctrl-A"));
        Assert.That(handler.HelpText, Is.EqualTo("Commands: Ctrl-Z suspends, \".\" quits, \"A\" gives literal Ctrl-A"));
        Assert.That(Type(handler, 0x01, (byte)'a').Sent, Is.EqualTo(new byte[] { 0x01 }));
        Assert.That(Type(handler, 0x01, (byte)'A').Sent, Is.EqualTo(new byte[] { 0x01 }));
    }

    [Test]
    public void A_printable_escape_key_counts_only_at_the_start_of_a_line()
    {
        var handler = EscapeKeyHandler.FromSetting("~");
        Assert.That(handler.KeyName, Is.EqualTo("\"~\""));
        // Mid-line "~." is just text; after CR it quits.
        var (events, sent) = Type(handler, Encoding.ASCII.GetBytes("a~.\r~."));
        Assert.That(Encoding.ASCII.GetString(sent), Is.EqualTo("a~.\r"));
        Assert.That(events[^1], Is.EqualTo(EscapeEvent.Quit));
    }

    [TestCase("\u0003")]
    [TestCase("\u0004")]
    [TestCase("\n")]
    [TestCase("\u000C")]
    [TestCase("\r")]
    [TestCase("ab")]
    [TestCase("\u00E9")]
    public void Dangerous_or_invalid_settings_fall_back_to_ctrl_caret(string setting)
    {
        Assert.That(EscapeKeyHandler.FromSetting(setting).KeyName, Is.EqualTo("Ctrl-^"));
    }
}
