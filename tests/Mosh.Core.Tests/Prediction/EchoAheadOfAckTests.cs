using Mosh.Prediction;

namespace Mosh.Tests.Prediction;

/// <summary>
/// A tentative epoch is shown as soon as the server's screen shows the echo of one of its characters (the server
/// holds the key, the cell shows it where it was predicted, the cursor right after it), without waiting for the
/// echo ack that trails the echo by up to half a round trip. Nothing else confirms it early, and the ack still
/// judges every guess.
/// </summary>
public class EchoAheadOfAckTests
{
    /// <summary>A fresh session at prompt "$ ": its first epoch is tentative.</summary>
    private static EchoScript AtFreshPrompt()
    {
        var s = new EchoScript(DisplayPreference.Always);
        s.ServerPrints("$ ");
        s.Render();
        return s;
    }

    [Test]
    public void The_first_epoch_shows_once_the_server_shows_its_echo_without_waiting_for_the_echo_ack()
    {
        EchoScript s = AtFreshPrompt();
        s.Type("a");
        s.Type("b");
        Assert.That(s.Line(0), Is.EqualTo("$"), "tentative until the server echoes");

        s.ServerPrints("a", framesInFlight: 2); // the echo of "a" arrives; the ack covers neither key yet
        Assert.That(s.Line(0), Is.EqualTo("$ ab"));
        Assert.That(s.Cursor(), Is.EqualTo((0, 4)));
        s.Type("c");
        Assert.That(s.Line(0), Is.EqualTo("$ abc"), "later keys show at once");

        s.ServerPrints("bc");
        Assert.That(s.Render(), Is.EqualTo(s.Received));
        Assert.That(s.Engine.HasPredictions, Is.False);
    }

    [Test]
    public void An_echo_from_a_server_that_has_not_received_the_key_does_not_confirm()
    {
        EchoScript s = AtFreshPrompt();
        s.Type("a");
        s.Type("b");
        s.ServerPrints("a", framesInFlight: 2); // e.g. the application printed "a" by itself
        s.Engine.SetLocalFrameAcked(0);
        Assert.That(s.Line(0), Is.EqualTo("$ a"));
    }

    [Test]
    public void The_character_shown_elsewhere_or_without_the_cursor_right_after_it_does_not_confirm()
    {
        EchoScript s = AtFreshPrompt();
        s.Type("a");
        s.Type("b");
        s.ServerPrints("\r\na", framesInFlight: 2); // the character on another row
        Assert.That(s.Line(0), Is.EqualTo("$"));
        Assert.That(s.Line(1), Is.EqualTo("a"));

        EchoScript t = AtFreshPrompt();
        t.Type("a");
        t.Type("b");
        t.ServerPrints("a\e[1;10H", framesInFlight: 2); // right cell, but the cursor went elsewhere
        Assert.That(t.Line(0), Is.EqualTo("$ a"));
    }

    [Test]
    public void A_character_that_was_already_there_does_not_confirm()
    {
        var s = new EchoScript(DisplayPreference.Always);
        s.ServerPrints("$ abc\e[1;3H");
        s.Render();
        s.Type("a");
        s.Type("x");
        s.ServerPrints("\e[C", framesInFlight: 2); // the cursor moved past the old "a": no echo of the typed one
        Assert.That(s.Line(0), Is.EqualTo("$ abc"));
        Assert.That(s.Cursor(), Is.EqualTo((0, 3)));
    }

    [Test]
    public void A_guess_shown_ahead_of_the_ack_that_the_ack_then_refutes_is_gone_in_that_frame()
    {
        EchoScript s = AtFreshPrompt();
        s.Type("a");
        s.Type("b");
        s.ServerPrints("a", framesInFlight: 2);
        Assert.That(s.Line(0), Is.EqualTo("$ ab"));

        s.ServerPrints("\b \b"); // the application took the echo back: "b" never came
        Assert.That(s.Render(), Is.EqualTo(s.Received));
        Assert.That(s.Line(0), Is.EqualTo("$"));
    }

    [Test]
    public void A_silent_password_prompt_never_confirms()
    {
        EchoScript s = AtFreshPrompt();
        s.ServerPrints("\r\nPassword: ");
        foreach (char c in "hunter2")
        {
            s.Type(c.ToString());
            s.ServerPrints(string.Empty, framesInFlight: 1);
            Assert.That(s.Line(1), Is.EqualTo("Password:"));
        }
    }

    [Test]
    public void A_wrong_guess_is_withdrawn_as_soon_as_the_server_shows_another_character_where_it_went()
    {
        EchoScript s = AtFreshPrompt();
        s.TypeEchoed("a");
        s.Type("z");
        Assert.That(s.Line(0), Is.EqualTo("$ az"), "a confirmed epoch shows the guess at once");

        s.ServerPrints("Z", framesInFlight: 1); // e.g. a readline macro: the echo ack does not cover "z" yet
        Assert.That(s.Render(), Is.EqualTo(s.Received));
        Assert.That(s.Line(0), Is.EqualTo("$ aZ"));
    }

    [Test]
    public void A_guess_stays_while_the_server_has_written_nothing_where_it_goes()
    {
        EchoScript s = AtFreshPrompt();
        s.TypeEchoed("a");
        s.Type("z");
        s.ServerPrints(string.Empty, framesInFlight: 1);
        Assert.That(s.Line(0), Is.EqualTo("$ az"));
    }

    [Test]
    public void Keys_typed_after_a_guess_withdrawn_ahead_of_the_ack_are_placed_again_after_the_servers_text()
    {
        EchoScript s = AtFreshPrompt();
        s.TypeEchoed("a");
        s.Type("z");
        s.Type("u");
        s.ServerPrints("Z", framesInFlight: 2);
        Assert.That(s.Line(0), Is.EqualTo("$ aZ"), "the key after the wrong one is tentative again");

        s.ServerPrints("u", framesInFlight: 1); // its echo confirms it where it was placed again
        Assert.That(s.Line(0), Is.EqualTo("$ aZu"));
        s.Type("l");
        Assert.That(s.Line(0), Is.EqualTo("$ aZul"));
        s.ServerPrints("l");
        Assert.That(s.Render(), Is.EqualTo(s.Received));
        Assert.That(s.Engine.HasPredictions, Is.False);
    }
}
