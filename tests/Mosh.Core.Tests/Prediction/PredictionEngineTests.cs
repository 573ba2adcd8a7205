using Mosh.Prediction;
using Mosh.Terminal;

namespace Mosh.Tests.Prediction;

public class PredictionEngineTests
{
    private static bool Underlined(Framebuffer frame, int row, int col) =>
        frame.GetCell(row, col).Renditions.Has(TextAttributes.Underline);

    /// <summary>A session at a shell prompt whose first epoch the server already confirmed ("l" echoed).</summary>
    private static EchoScript Confirmed(DisplayPreference preference = DisplayPreference.Always, int sendInterval = 100,
        bool overwrite = false) =>
        new EchoScript(preference, sendInterval: sendInterval, overwrite: overwrite).TypeEchoed("l");

    [Test]
    public void Typing_in_a_confirmed_epoch_appears_immediately_with_the_predicted_cursor()
    {
        EchoScript s = Confirmed();
        s.Type("s");
        Assert.That(s.Line(0), Is.EqualTo("ls"));
        Assert.That(s.Cursor(), Is.EqualTo((0, 2)));
        Assert.That(s.Received.GetRow(0).ToString().TrimEnd(), Is.EqualTo("l"), "the server's frame is not painted");
    }

    [Test]
    public void Nothing_is_shown_before_the_server_confirmed_any_prediction()
    {
        var s = new EchoScript(DisplayPreference.Always);
        s.Type("ls");
        Assert.That(s.Line(0), Is.Empty);
        Assert.That(s.Cursor(), Is.EqualTo((0, 0)));
    }

    [Test]
    public void Adaptive_mode_shows_typing_immediately_when_the_link_is_slow()
    {
        EchoScript s = Confirmed(DisplayPreference.Adaptive, sendInterval: 150);
        s.Type("s");
        Assert.That(s.Line(0), Is.EqualTo("ls"));
    }

    [Test]
    public void Adaptive_mode_on_a_fast_link_shows_a_prediction_only_after_the_glitch_threshold()
    {
        EchoScript s = Confirmed(DisplayPreference.Adaptive, sendInterval: 20);
        s.Type("s");
        Assert.That(s.Line(0), Is.EqualTo("l"));
        s.Advance(249);
        Assert.That(s.Line(0), Is.EqualTo("l"));
        s.Advance(1);
        Assert.That(s.Line(0), Is.EqualTo("ls"));
        Assert.That(Underlined(s.Render(), 0, 1), Is.False, "a short glitch displays without underlining");
    }

    [Test]
    public void A_prediction_pending_past_the_glitch_flag_threshold_is_shown_underlined_even_on_a_fast_link()
    {
        EchoScript s = Confirmed(DisplayPreference.Adaptive, sendInterval: 20);
        s.Type("s");
        s.Advance(5000);
        s.Render();
        Framebuffer shown = s.Render();
        Assert.That(shown.GetRow(0).ToString().TrimEnd(), Is.EqualTo("ls"));
        Assert.That(Underlined(shown, 0, 1), Is.True);
    }

    [Test]
    public void Srtt_trigger_has_hysteresis_and_only_turns_off_with_nothing_predicted()
    {
        EchoScript s = Confirmed(DisplayPreference.Adaptive, sendInterval: 31);
        s.Type("s");
        Assert.That(s.Line(0), Is.EqualTo("ls"));
        s.Engine.SetSendInterval(25);
        Assert.That(s.Line(0), Is.EqualTo("ls"), "between the triggers the state holds");
        s.Engine.SetSendInterval(20);
        Assert.That(s.Line(0), Is.EqualTo("ls"), "predictions on screen keep the trigger on");
        s.ServerPrints("s");
        s.Render(); // confirms "s" (the trigger was judged with it still outstanding)
        s.Render();
        Assert.That(s.Engine.IsShowing, Is.False);
        s.Type("x");
        Assert.That(s.Line(0), Is.EqualTo("ls"));
        s.Engine.SetSendInterval(30);
        Assert.That(s.Line(0), Is.EqualTo("ls"), "30 ms is not above the high trigger");
    }

    [Test]
    public void Always_mode_shows_on_a_fast_link_and_never_mode_predicts_nothing()
    {
        EchoScript always = Confirmed(DisplayPreference.Always, sendInterval: 20);
        always.Type("s");
        Assert.That(always.Line(0), Is.EqualTo("ls"));

        EchoScript never = Confirmed(DisplayPreference.Never, sendInterval: 250);
        never.Type("s");
        never.Advance(10_000);
        Assert.That(never.Line(0), Is.EqualTo("l"));
        Assert.That(never.Engine.HasPredictions, Is.False);
        Assert.That(never.Engine.WaitTime(), Is.EqualTo(int.MaxValue));
    }

    [Test]
    public void Experimental_mode_shows_predictions_before_any_confirmation()
    {
        var s = new EchoScript(DisplayPreference.Experimental);
        s.Type("ls");
        Assert.That(s.Line(0), Is.EqualTo("ls"));
    }

    [Test]
    public void A_prediction_stays_until_the_echo_ack_covers_its_frame_then_the_servers_cell_takes_over()
    {
        EchoScript s = Confirmed();
        s.Type("s");
        s.ServerReceivesOnly();
        Assert.That(s.Line(0), Is.EqualTo("ls"));
        Assert.That(s.Engine.HasPredictions, Is.True);

        s.ServerPrints("s");
        Framebuffer shown = s.Render();
        Assert.That(shown.GetRow(0).ToString().TrimEnd(), Is.EqualTo("ls"));
        Assert.That(s.Engine.HasPredictions, Is.False);
        Assert.That(Underlined(shown, 0, 1), Is.False, "the server's own cell is drawn");
    }

    [Test]
    public void A_refuted_prediction_is_gone_in_the_next_frame_and_nothing_stale_remains()
    {
        var s = new EchoScript(DisplayPreference.Always);
        s.ServerPrints("hello world\e[6G");
        s.Type("_");
        s.ServerPrints("\e[@_");
        s.Render(); // confirms the epoch
        s.Type("Z");
        Assert.That(s.Line(0), Is.EqualTo("hello_Z world"));

        s.ServerPrints("\e[@Q"); // the application inserted something else
        Framebuffer shown = s.Render();
        Assert.That(shown, Is.EqualTo(s.Received), "the display is exactly the server's frame");
        Assert.That(shown.GetRow(0).ToString().TrimEnd(), Is.EqualTo("hello_Q world"));
        Assert.That(s.Engine.HasPredictions, Is.False);
    }

    [Test]
    public void A_refuted_tentative_epoch_is_removed_while_confirmed_predictions_stay()
    {
        EchoScript s = Confirmed();
        s.Type("s");            // confirmed epoch, shown
        s.Type("\x03");         // new, tentative epoch
        s.Type("a");            // predicted at column 2, hidden
        Assert.That(s.Line(0), Is.EqualTo("ls"));
        s.ServerPrints("s^C");  // the application echoes something else for the later keys
        Framebuffer shown = s.Render();
        Assert.That(shown.GetRow(0).ToString().TrimEnd(), Is.EqualTo("ls^C"));
        Assert.That(shown.State.CursorColumn, Is.EqualTo(4));
    }

    [TestCase("\x03", TestName = "Ctrl-C")]
    [TestCase("\t", TestName = "Tab")]
    [TestCase("\e[A", TestName = "Up arrow (CSI A)")]
    [TestCase("\eOA", TestName = "Up arrow (SS3 A)")]
    [TestCase("\ex", TestName = "Meta-x")]
    [TestCase("\x08", TestName = "Ctrl-H")]
    public void After_an_unpredictable_key_later_typing_stays_hidden_until_the_server_confirms_it(string key)
    {
        EchoScript s = Confirmed();
        s.Type(key);
        s.Type("a");
        Assert.That(s.Line(0), Is.EqualTo("l"));
        s.Type("b");
        Assert.That(s.Line(0), Is.EqualTo("l"));

        s.ServerPrints("a", framesInFlight: 1); // the key did nothing visible; "a" echoed, "b" in flight
        Assert.That(s.Line(0), Is.EqualTo("lab"), "confirming 'a' reveals the rest of its epoch");
    }

    [Test]
    public void Backspace_deletes_the_character_left_of_the_cursor_and_shifts_the_rest()
    {
        var s = new EchoScript(DisplayPreference.Always);
        s.ServerPrints("lsx\e[3G");
        s.Type("y");
        s.ServerPrints("\e[@y");
        s.Render(); // "lsyx", epoch confirmed, cursor at 3
        s.Type("\x7f");
        Assert.That(s.Line(0), Is.EqualTo("lsx"));
        Assert.That(s.Cursor(), Is.EqualTo((0, 2)));
    }

    [Test]
    public void Backspace_at_the_left_margin_predicts_nothing()
    {
        var s = new EchoScript(DisplayPreference.Always);
        s.ServerPrints("\r");
        s.Type("\x7f");
        Assert.That(s.Engine.HasPredictions, Is.True, "only the cursor");
        Assert.That(s.Cursor(), Is.EqualTo((0, 0)));
    }

    [TestCase("\e[D", "\e[C")]
    [TestCase("\eOD", "\eOC")]
    public void Left_and_right_arrows_move_the_predicted_cursor_and_typing_inserts_there(string left, string right)
    {
        EchoScript s = Confirmed();
        s.TypeEchoed("sx");
        s.Type(left);
        Assert.That(s.Cursor(), Is.EqualTo((0, 2)));
        s.Type("y");
        Assert.That(s.Line(0), Is.EqualTo("lsyx"));
        Assert.That(s.Cursor(), Is.EqualTo((0, 3)));
        s.Type(right);
        Assert.That(s.Cursor(), Is.EqualTo((0, 4)));
    }

    [Test]
    public void Carriage_return_predicts_a_tentative_new_line_confirmed_by_the_echo()
    {
        EchoScript s = Confirmed();
        s.Type("\r");
        s.Type("e");
        Assert.That(s.Cursor(), Is.EqualTo((0, 1)), "the new line is tentative");
        Assert.That(s.Line(1), Is.Empty);

        s.ServerPrints("\r\ne");
        s.Render();
        s.Type("c");
        Assert.That(s.Line(1), Is.EqualTo("ec"));
        Assert.That(s.Cursor(), Is.EqualTo((1, 2)));
    }

    [Test]
    public void Carriage_return_on_the_bottom_row_predicts_a_blank_row_instead_of_scrolling()
    {
        var s = new EchoScript(DisplayPreference.Always, height: 3);
        s.ServerPrints("\e[3Hab");
        s.Type("c");
        s.ServerPrints("c");
        s.Render();
        s.Type("\r");
        s.ServerPrints("\r\n"); // the server scrolls; the blank row and cursor are right
        Framebuffer shown = s.Render();
        Assert.That(shown, Is.EqualTo(s.Received));
        Assert.That(s.Engine.HasPredictions, Is.False);
    }

    [Test]
    public void A_wide_character_takes_two_cells_and_moves_the_cursor_two_columns()
    {
        EchoScript s = Confirmed();
        s.Type("日");
        Framebuffer shown = s.Render();
        Assert.That(shown.GetRow(0).GetTextString(1), Is.EqualTo("日"));
        Assert.That(shown.GetCell(0, 1).IsWide, Is.True);
        Assert.That(shown.GetCell(0, 2).IsEmpty, Is.True);
        Assert.That(s.Cursor(), Is.EqualTo((0, 3)));

        s.ServerPrints("日");
        Assert.That(s.Render(), Is.EqualTo(s.Received));
        Assert.That(s.Engine.HasPredictions, Is.False);
    }

    [Test]
    public void A_combining_mark_joins_the_predicted_character_without_moving_the_cursor()
    {
        EchoScript s = Confirmed();
        s.Type("e");
        s.Type("\u0301");
        Framebuffer shown = s.Render();
        Assert.That(shown.GetRow(0).GetTextString(1), Is.EqualTo("e\u0301"));
        Assert.That(s.Cursor(), Is.EqualTo((0, 2)));

        s.ServerPrints("e\u0301");
        Assert.That(s.Render(), Is.EqualTo(s.Received));
        Assert.That(s.Engine.HasPredictions, Is.False);
    }

    [Test]
    public void A_combining_mark_with_nothing_predicted_to_join_makes_typing_tentative()
    {
        EchoScript s = Confirmed();
        s.Type("\u0301");
        s.Type("a");
        Assert.That(s.Line(0), Is.EqualTo("l"));
    }

    [Test]
    public void A_character_split_across_reads_is_predicted_once_complete()
    {
        EchoScript s = Confirmed();
        s.TypeBytes([0xC3]);
        Assert.That(s.Line(0), Is.EqualTo("l"));
        s.TypeBytes([0xA9]);
        Assert.That(s.Line(0), Is.EqualTo("lé"));
        Assert.That(s.Cursor(), Is.EqualTo((0, 2)));
    }

    [Test]
    public void A_paste_of_more_than_100_bytes_clears_predictions_and_predicts_nothing()
    {
        EchoScript s = Confirmed();
        s.Type("s");
        Assert.That(s.Line(0), Is.EqualTo("ls"));
        s.Type(new string('a', 101));
        Assert.That(s.Line(0), Is.EqualTo("l"));
        Assert.That(s.Engine.HasPredictions, Is.False);
    }

    [Test]
    public void Exactly_100_bytes_are_still_typing()
    {
        EchoScript s = Confirmed();
        s.Type(new string('a', 100));
        Assert.That(s.Engine.HasPredictions, Is.True);
    }

    [Test]
    public void A_resized_server_frame_clears_every_prediction()
    {
        var server = new Emulator(80, 24);
        var engine = new PredictionEngine(DisplayPreference.Always);
        engine.SetSendInterval(100);
        engine.Cull(server.Framebuffer, 0);
        engine.NewUserInput("abc"u8, server.Framebuffer, 0);
        Assert.That(engine.HasPredictions, Is.True);
        server.Resize(100, 30);
        engine.Cull(server.Framebuffer, 0);
        Assert.That(engine.HasPredictions, Is.False);
    }

    [Test]
    public void Reset_clears_predictions_and_makes_later_typing_tentative()
    {
        EchoScript s = Confirmed();
        s.Type("s");
        s.Engine.Reset();
        Assert.That(s.Engine.HasPredictions, Is.False);
        Assert.That(s.Line(0), Is.EqualTo("l"));
        s.Type("t");
        Assert.That(s.Line(0), Is.EqualTo("l"));
    }

    [Test]
    public void Nothing_typed_at_a_password_prompt_ever_appears()
    {
        var s = new EchoScript(DisplayPreference.Always, sendInterval: 250);
        s.ServerPrints("Password: ");
        foreach (char c in "hunter2")
        {
            s.Type(c.ToString());
            Assert.That(s.Line(0), Is.EqualTo("Password:"));
            s.Advance(6000);
            Assert.That(s.Line(0), Is.EqualTo("Password:"));
        }

        s.ServerPrints(string.Empty); // processed, nothing echoed
        Assert.That(s.Render(), Is.EqualTo(s.Received));
        Assert.That(s.Engine.HasPredictions, Is.False);
    }

    [Test]
    public void A_password_typed_after_a_confirmed_command_line_is_not_shown()
    {
        EchoScript s = Confirmed();
        s.Type("\r");
        s.ServerPrints("\r\nPassword: ");
        s.Render();
        foreach (char c in "hunter2")
        {
            s.Type(c.ToString());
            Assert.That(s.Line(1), Is.EqualTo("Password:"));
        }

        s.ServerPrints(string.Empty);
        Assert.That(s.Render(), Is.EqualTo(s.Received));
    }

    [Test]
    public void Underlining_follows_the_send_interval_with_hysteresis()
    {
        EchoScript s = Confirmed(sendInterval: 81);
        s.Type("s");
        Assert.That(Underlined(s.Render(), 0, 1), Is.True);
        s.Engine.SetSendInterval(51);
        Assert.That(Underlined(s.Render(), 0, 1), Is.True, "between the triggers underlining holds");
        s.Engine.SetSendInterval(50);
        Assert.That(Underlined(s.Render(), 0, 1), Is.False);
        s.Engine.SetSendInterval(80);
        Assert.That(Underlined(s.Render(), 0, 1), Is.False, "80 ms is not above the high trigger");
        s.Engine.SetSendInterval(81);
        Assert.That(Underlined(s.Render(), 0, 1), Is.True);
    }

    [Test]
    public void Overwrite_mode_replaces_the_character_under_the_cursor_instead_of_inserting()
    {
        EchoScript insert = Confirmed();
        insert.TypeEchoed("sx");
        insert.Type("\e[D\e[D");
        insert.Type("y");
        Assert.That(insert.Line(0), Is.EqualTo("lysx"));

        EchoScript overwrite = Confirmed(overwrite: true);
        overwrite.TypeEchoed("sx");
        overwrite.Type("\e[D\e[D");
        overwrite.Type("y");
        Assert.That(overwrite.Line(0), Is.EqualTo("lyx"));
    }

    [Test]
    public void Overwrite_mode_backspace_blanks_the_cell_instead_of_shifting()
    {
        EchoScript s = Confirmed(overwrite: true);
        s.TypeEchoed("sx");
        s.Type("\e[D");
        s.Type("\x7f");
        Assert.That(s.Line(0), Is.EqualTo("l x"));
        Assert.That(s.Cursor(), Is.EqualTo((0, 1)));
    }

    [Test]
    public void Typing_into_the_last_column_is_tentative()
    {
        var s = new EchoScript(DisplayPreference.Always, width: 10);
        s.ServerPrints("abcdefgh");
        s.Type("i");
        s.ServerPrints("i");
        s.Render();
        s.Type("j");
        Assert.That(s.Line(0), Is.EqualTo("abcdefghi"));
    }

    [Test]
    public void The_engine_asks_for_frames_while_predictions_await_their_timing_triggers()
    {
        EchoScript s = Confirmed(DisplayPreference.Adaptive, sendInterval: 20);
        Assert.That(s.Engine.WaitTime(), Is.EqualTo(int.MaxValue));
        s.Type("s");
        Assert.That(s.Engine.WaitTime(), Is.EqualTo(50));
    }

    [Test]
    public void Predictions_drawn_first_are_covered_by_an_overlay_drawn_afterwards()
    {
        EchoScript s = Confirmed();
        s.Type("s");
        Framebuffer shown = s.Render();
        Row bar = shown.GetMutableRow(0); // what a notification bar does after Apply
        bar.SetCharacter(1, 'm', default, wide: false);
        Assert.That(shown.GetRow(0).ToString().TrimEnd(), Is.EqualTo("lm"));
        Assert.That(s.Received.GetRow(0).ToString().TrimEnd(), Is.EqualTo("l"));
    }

    [Test]
    public void Typing_while_the_server_is_silent_keeps_a_bounded_number_of_cursor_predictions()
    {
        EchoScript s = Confirmed();
        for (int i = 0; i < 2000; i++)
        {
            s.Type("\u0003a\u007f"); // Ctrl-C starts a new epoch each time
        }

        Assert.That(s.Engine.CursorPredictionCount, Is.EqualTo(PredictionEngine.MaxCursorPredictions));
        s.ServerPrints(string.Empty);
        Assert.That(s.Render(), Is.EqualTo(s.Received));
        Assert.That(s.Engine.HasPredictions, Is.False);
    }

    [Test]
    public void A_glitch_is_cured_by_ten_quick_confirmations_at_least_150_ms_apart()
    {
        EchoScript s = Confirmed(DisplayPreference.Adaptive, sendInterval: 20);
        s.Type("s");
        s.Advance(250);
        s.Render();
        Assert.That(s.Engine.IsShowing, Is.True, "the glitch shows predictions");
        s.ServerPrints("s");
        s.Render(); // a slow confirmation cures nothing

        for (int i = 0; i < 9; i++)
        {
            s.Advance(150);
            s.TypeEchoed("x");
        }

        s.Advance(100);
        s.TypeEchoed("x"); // too soon after the last one to count
        Assert.That(s.Engine.IsShowing, Is.True);

        s.Advance(50);
        s.TypeEchoed("x");
        Assert.That(s.Engine.IsShowing, Is.False);
    }
}
