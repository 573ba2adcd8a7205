using Mosh.Prediction;
using Mosh.Terminal;

namespace Mosh.Tests.Prediction;

/// <summary>
/// Typing at the start of a new line: at a prompt the server has confirmed to echo, the first keys after a CR
/// show at once (the keys typed before the prompt arrived included, placed after the new prompt), while an
/// unknown prompt (a password prompt, a bare silent read) keeps upstream's tentative, hidden behaviour.
/// </summary>
public class NewLinePredictionTests
{
    /// <summary>A shell at prompt "$ " on row 0 whose first typed line ("ls") the server echoed.</summary>
    private static EchoScript AtKnownPrompt()
    {
        var s = new EchoScript(DisplayPreference.Always);
        s.ServerPrints("$ ");
        s.TypeEchoed("l");
        s.TypeEchoed("s");
        Assert.That(s.KnowsPrompt(0, 2), Is.True, "the prompt is learnt");
        return s;
    }

    [Test]
    public void The_first_key_after_a_known_prompt_shows_at_once()
    {
        EchoScript s = AtKnownPrompt();
        s.Type("\r");
        s.ServerPrints("\r\nout\r\n$ ");
        s.Render();

        s.Type("x");
        Assert.That(s.Line(2), Is.EqualTo("$ x"));
        Assert.That(s.Cursor(), Is.EqualTo((2, 3)));
        s.ServerPrints("x");
        Assert.That(s.Render(), Is.EqualTo(s.Received));
        Assert.That(s.Engine.HasPredictions, Is.False);
    }

    [Test]
    public void Keys_typed_before_the_new_prompt_arrived_are_placed_after_it_when_it_arrives()
    {
        EchoScript s = AtKnownPrompt();
        s.Type("\r");
        s.Type("a");
        s.Type("b");
        Assert.That(s.Line(1), Is.Empty, "the new line is tentative until the server shows it");

        s.ServerPrints("\r\nout\r\n$ ", framesInFlight: 2);
        Assert.That(s.Line(2), Is.EqualTo("$ ab"));
        Assert.That(s.Cursor(), Is.EqualTo((2, 4)));
        s.Type("c");
        Assert.That(s.Line(2), Is.EqualTo("$ abc"));

        s.ServerPrints("abc");
        Assert.That(s.Render(), Is.EqualTo(s.Received));
        Assert.That(s.Engine.HasPredictions, Is.False);
    }

    [Test]
    public void Keys_the_server_already_echoed_after_the_new_prompt_are_not_placed_twice()
    {
        EchoScript s = AtKnownPrompt();
        s.Type("\r");
        s.Type("a");
        s.Type("b");
        s.ServerPrints("\r\n$ a", framesInFlight: 2); // 'a' echoed, but the echo ack only covers the CR
        Assert.That(s.Line(1), Is.EqualTo("$ ab"));
        Assert.That(s.Cursor(), Is.EqualTo((1, 4)));
    }

    [Test]
    public void A_password_prompt_after_a_known_prompt_hides_typing_and_keys_typed_ahead()
    {
        EchoScript s = AtKnownPrompt();
        s.Type("\r");
        s.Type("hu");
        s.ServerPrints("\r\nPassword: ", framesInFlight: 1);
        Assert.That(s.Line(1), Is.EqualTo("Password:"));
        foreach (char c in "nter2")
        {
            s.Type(c.ToString());
            Assert.That(s.Line(1), Is.EqualTo("Password:"));
            Assert.That(s.Cursor(), Is.EqualTo((1, 10)));
        }

        s.ServerPrints(string.Empty);
        Assert.That(s.Render(), Is.EqualTo(s.Received));
    }

    [Test]
    public void Keys_the_server_processed_without_echo_at_a_known_prompt_are_not_placed()
    {
        EchoScript s = AtKnownPrompt();
        s.Type("\r");
        s.Type("pw");
        s.ServerPrints("\r\n$ "); // e.g. read -s -p '$ ': both keys processed, neither echoed
        Assert.That(s.Line(1), Is.EqualTo("$"));
        s.Type("x");
        Assert.That(s.Line(1), Is.EqualTo("$"), "a line that did not echo stays tentative");
    }

    [Test]
    public void A_wrong_guess_at_a_known_prompt_is_gone_in_the_next_frame()
    {
        EchoScript s = AtKnownPrompt();
        s.Type("\r");
        s.ServerPrints("\r\n$ ");
        s.Type("x");
        Assert.That(s.Line(1), Is.EqualTo("$ x"));
        s.ServerPrints("\e[1;1H"); // processed: the application moved the cursor instead of echoing
        Assert.That(s.Render(), Is.EqualTo(s.Received));
        Assert.That(s.Engine.HasPredictions, Is.False);
    }

    [Test]
    public void After_ctrl_c_typing_at_a_known_prompt_stays_tentative_as_upstream()
    {
        EchoScript s = AtKnownPrompt();
        s.Type("\x03");
        s.ServerPrints("^C\r\n$ ");
        s.Render();
        s.Type("x");
        Assert.That(s.Line(1), Is.EqualTo("$"));
    }

    [Test]
    public void A_prompt_learnt_without_text_needs_bracketed_paste_and_the_row_the_CR_was_predicted_to_reach()
    {
        // An editor in insert mode (bracketed paste on): the first line's echo teaches the empty prompt.
        var s = new EchoScript(DisplayPreference.Always);
        s.ServerPrints("\e[?2004h");
        s.TypeEchoed("a");
        s.Type("\r");
        s.ServerPrints("\r\n");
        s.Type("b");
        Assert.That(s.Line(1), Is.EqualTo("b"), "a new line in the editor shows at once");
        s.ServerPrints("b");
        s.Render();

        // A silent read (bracketed paste off) at the start of the next row: hidden.
        s.Type("\r");
        s.ServerPrints("\e[?2004l\r\n");
        s.Type("pw");
        Assert.That(s.Line(2), Is.Empty);
        Assert.That(s.Cursor(), Is.EqualTo((2, 0)));
    }

    [Test]
    public void An_application_drawing_its_screen_after_a_CR_does_not_count_as_an_empty_known_prompt()
    {
        var s = new EchoScript(DisplayPreference.Always);
        s.ServerPrints("\e[5H\e[?2004h");
        s.TypeEchoed("a");
        s.Type("\r");
        s.ServerPrints("\e[H\e[2J"); // e.g. vim starting in normal mode: cursor home, empty row
        s.Type("i");
        Assert.That(s.Line(0), Is.Empty, "'i' is a command here, not text");
        Assert.That(s.Cursor(), Is.EqualTo((0, 0)));
    }

    [Test]
    public void Keys_typed_ahead_are_placed_once_the_new_prompt_shows_below_even_before_the_echo_ack_covers_the_CR()
    {
        EchoScript s = AtKnownPrompt();
        s.Type("\r");
        s.Type("a");
        s.ServerPrints("\r\nout\r\n$ ", framesInFlight: 2);
        Assert.That(s.Line(2), Is.EqualTo("$ a"));
    }

    [Test]
    public void Enter_at_an_empty_known_prompt_places_nothing_until_the_server_shows_the_new_line()
    {
        EchoScript s = AtKnownPrompt();
        s.Type("\r");
        s.ServerPrints("\r\n$ ");
        s.Render();
        s.Type("\r");
        s.Type("x");
        s.ServerReceivesOnly();
        Assert.That(s.Line(1), Is.EqualTo("$"), "the old prompt is not where the key goes");
        Assert.That(s.Cursor(), Is.EqualTo((1, 2)));
        s.ServerPrints("\r\n$ ", framesInFlight: 1);
        Assert.That(s.Line(2), Is.EqualTo("$ x"));
    }

    [Test]
    public void After_a_wrong_tentative_guess_the_keys_in_flight_are_guessed_again_from_the_servers_cursor()
    {
        // vim in normal mode: "i" prints nothing, the keys typed after it are text.
        var s = new EchoScript(DisplayPreference.Always);
        s.Type("i");
        s.Type("t");
        s.Type("h");
        s.ServerPrints(string.Empty, framesInFlight: 2); // "i" processed: not echoed, its epoch is wrong
        Assert.That(s.Line(0), Is.Empty);
        s.ServerPrints("t", framesInFlight: 1); // the echo of "t" confirms the guesses made again from column 0
        Assert.That(s.Line(0), Is.EqualTo("th"));
        Assert.That(s.Cursor(), Is.EqualTo((0, 2)));
        s.Type("e");
        Assert.That(s.Line(0), Is.EqualTo("the"));
        s.ServerPrints("he");
        Assert.That(s.Render(), Is.EqualTo(s.Received));
        Assert.That(s.Engine.HasPredictions, Is.False);
    }

    [Test]
    public void In_an_editor_text_echoed_after_a_key_taken_without_echo_teaches_the_empty_line_so_the_next_line_shows_at_once()
    {
        // vim just started (bracketed paste on): "i" enters insert mode without echo, the text after it is echoed.
        var s = new EchoScript(DisplayPreference.Always, height: 5);
        s.ServerPrints("\e[?2004h");
        s.Render();
        s.Type("i");
        s.Type("t");
        s.Type("h");
        s.ServerPrints("\e[5H-- INSERT --\e[H", framesInFlight: 2); // "i" processed: wrong, "t" and "h" guessed again
        s.ServerPrints("t", framesInFlight: 1);
        Assert.That(s.Line(0), Is.EqualTo("th"));
        Assert.That(s.KnowsPrompt(0, 0), Is.True);

        s.ServerPrints("h");
        s.Type("\r");
        s.ServerPrints("\r\n");
        s.Type("x");
        Assert.That(s.Line(1), Is.EqualTo("x"), "the editor's second line shows its first key at once");
    }

    [Test]
    public void In_an_editor_the_first_text_typed_once_insert_mode_showed_teaches_the_empty_line()
    {
        // vim started by a command line; "i" is typed as its screen arrives, before the echo ack covers the CR.
        var s = new EchoScript(DisplayPreference.Always, height: 5);
        s.ServerPrints("\e[?2004h$ ");
        s.TypeEchoed("v");
        s.Type("\r");
        s.ServerPrints("\e[H\e[2J", framesInFlight: 1);
        s.Render();
        s.Type("i");
        s.ServerPrints("\e[5H-- INSERT --\e[H");
        s.Render();
        s.Type("t");
        s.ServerPrints("t");
        s.Render();
        Assert.That(s.KnowsPrompt(0, 0), Is.True);

        s.Type("\r");
        s.ServerPrints("\r\n");
        s.Type("x");
        Assert.That(s.Line(1), Is.EqualTo("x"));
    }

    [Test]
    public void A_key_echoed_elsewhere_right_after_a_CR_makes_the_text_after_it_no_line_start()
    {
        // vim: ":" right after it started shows on the bottom row; "w" typed there does not teach ":" as a prompt.
        var s = new EchoScript(DisplayPreference.Always, height: 5);
        s.ServerPrints("\e[?2004h");
        s.Render();
        s.Type(":");
        s.ServerPrints("\e[5H:");
        s.Render();
        s.Type("w");
        s.ServerPrints("w");
        s.Render();
        Assert.That(s.KnowsPrompt(4, 1), Is.False);
    }

    [Test]
    public void The_empty_line_is_learnt_too_when_the_swallowed_key_and_the_echo_after_it_are_acknowledged_together()
    {
        var s = new EchoScript(DisplayPreference.Always, height: 5);
        s.ServerPrints("\e[?2004h");
        s.Render();
        s.Type("i");
        s.Type("t");
        s.ServerPrints("\e[5H-- INSERT --\e[Ht");
        s.Render();
        Assert.That(s.KnowsPrompt(0, 0), Is.True);
    }

    [Test]
    public void Text_echoed_after_a_swallowed_key_on_an_empty_line_teaches_nothing_without_bracketed_paste()
    {
        // "Press a key", then a plain read that echoes: no line editor, so an empty prompt is never trusted.
        var s = new EchoScript(DisplayPreference.Always, height: 5);
        s.Type("k");
        s.Type("t");
        s.ServerPrints("\e[5Hok\e[Ht");
        s.Render();
        Assert.That(s.KnowsPrompt(0, 0), Is.False);
    }

    [Test]
    public void Text_an_application_shows_after_keys_typed_mid_line_is_not_learnt_as_a_prompt()
    {
        // vim: Esc and ":" show vim's command line on the bottom row; "w", typed once it shows, is echoed after it.
        var s = new EchoScript(DisplayPreference.Always, height: 5);
        s.ServerPrints("text");
        s.TypeEchoed("s");
        s.Type("\e");
        s.Type(":");
        s.ServerPrints("\e[5H:");
        s.Render();
        s.Type("w");
        s.ServerPrints("w");
        s.Render();
        Assert.That(s.KnowsPrompt(4, 1), Is.False);

        // A pager's ":" prompt after a CR is then no reason to show "q" at once.
        s.Type("\r");
        s.ServerPrints("\e[2J\e[5H:");
        s.Type("q");
        Assert.That(s.Line(4), Is.EqualTo(":"));
    }

    [Test]
    public void Remembered_prompts_are_bounded_and_the_oldest_is_forgotten()
    {
        var prompts = new KnownPrompts();
        var screen = new Emulator(20, 2);
        for (int i = 0; i <= KnownPrompts.Capacity; i++)
        {
            screen.Write(System.Text.Encoding.ASCII.GetBytes($"\e[H{i}> "));
            prompts.Remember(screen.Framebuffer.GetRow(0), 3);
        }

        screen.Write("\e[H0> "u8);
        Assert.That(prompts.Contains(screen.Framebuffer.GetRow(0), 3), Is.False);
        screen.Write(System.Text.Encoding.ASCII.GetBytes($"\e[H{KnownPrompts.Capacity}> "));
        Assert.That(prompts.Contains(screen.Framebuffer.GetRow(0), 3), Is.True);
    }
}
