using Mosh.Terminal;

namespace Mosh.Tests.Terminal;

/// <summary>
/// The display's central promise, checked on thousands of random and evolving screens: a terminal showing
/// frame A that receives <c>NewFrame(true, A, B)</c> shows B, and any terminal that receives
/// <c>NewFrame(false, X, B)</c> shows B. The terminal is the strict <see cref="DisplayReplayTerminal"/> or
/// the real <see cref="Emulator"/> (what mosh-client runs the server's diffs through).
/// </summary>
[TestFixture(TerminalKind.Replay)]
[TestFixture(TerminalKind.Emulator)]
public class DisplayRoundTripTests(TerminalKind kind)
{
    // On the emulator, half of them keep the terminal's scrollback (our client with history): they scroll by deleting
    // lines at the top (DL, which the strict replay terminal does not take).
    private Display RandomDisplay(Random random) =>
        new(hasEch: random.Next(2) == 0, hasBce: random.Next(2) == 0, hasTitle: random.Next(4) != 0)
        {
            PreserveScrollback = kind == TerminalKind.Emulator && random.Next(2) == 0,
        };

    private static void Apply(IDisplayTestTerminal terminal, Display display, bool initialized, Framebuffer last, Framebuffer next)
    {
        if (terminal.Frame.Width != next.Width || terminal.Frame.Height != next.Height)
        {
            terminal.Resize(next.Width, next.Height);
        }

        terminal.Feed(display.NewFrame(initialized, last, next));
    }

    private static void AssertShows(Framebuffer expected, IDisplayTestTerminal terminal, Display display, string context, bool clipboard = true)
    {
        string? difference = DisplayScreens.Difference(expected, terminal.Frame, titles: display.HasTitle, clipboard);
        Assert.That(difference, Is.Null, context);
    }

    [Test]
    public void FullRedrawFromABlankTerminalShowsTheFrame([Range(0, 9)] int seed)
    {
        var random = new Random(seed);
        for (int i = 0; i < 50; i++)
        {
            (int width, int height) = DisplayScreens.RandomSize(random);
            Framebuffer frame = DisplayScreens.RandomFrame(random, width, height);
            Display display = RandomDisplay(random);
            IDisplayTestTerminal terminal = DisplayTestTerminal.Create(kind, width, height);
            Apply(terminal, display, initialized: false, new Framebuffer(width, height), frame);
            AssertShows(frame, terminal, display, $"seed {seed} case {i} {width}x{height}");
        }
    }

    [Test]
    public void FullRedrawOverAnyOtherScreenShowsTheFrame([Range(0, 9)] int seed)
    {
        var random = new Random(1000 + seed);
        for (int i = 0; i < 50; i++)
        {
            (int width, int height) = DisplayScreens.RandomSize(random);
            Display display = RandomDisplay(random);
            Framebuffer other = DisplayScreens.RandomFrame(random, width, height);
            IDisplayTestTerminal terminal = DisplayTestTerminal.Create(kind, width, height);
            Apply(terminal, display, initialized: false, new Framebuffer(width, height), other);

            (int w2, int h2) = random.Next(2) == 0 ? (width, height) : DisplayScreens.RandomSize(random);
            Framebuffer frame = DisplayScreens.RandomFrame(random, w2, h2);
            // The clipboard is an event, sent when it changes from the claimed last frame (not on redraws).
            bool truthful = random.Next(2) == 0;
            Framebuffer claimedLast = truthful ? other : DisplayScreens.RandomFrame(random, width, height);
            Apply(terminal, display, initialized: false, claimedLast, frame);
            AssertShows(frame, terminal, display, $"seed {seed} case {i}", clipboard: truthful);
        }
    }

    [Test]
    public void IncrementalDiffsKeepTheTerminalInStepThroughASession([Range(0, 39)] int seed)
    {
        var random = new Random(2000 + seed);
        (int width, int height) = DisplayScreens.RandomSize(random);
        Display display = RandomDisplay(random);
        Framebuffer last = DisplayScreens.RandomFrame(random, width, height);
        IDisplayTestTerminal terminal = DisplayTestTerminal.Create(kind, width, height);
        Apply(terminal, display, initialized: false, new Framebuffer(width, height), last);
        for (int step = 0; step < 100; step++)
        {
            Framebuffer next = DisplayScreens.Evolve(random, last);
            Apply(terminal, display, initialized: true, last, next);
            AssertShows(next, terminal, display, $"seed {seed} step {step} {last.Width}x{last.Height} -> {next.Width}x{next.Height}");
            last = next;
        }
    }

    /// <summary>
    /// A terminal whose cursor sits at the last column may hold a pending wrap (it printed there) or not (it was
    /// moved there): the diff must come out the same on both. Here the cursor is often left at the last column,
    /// and the terminal then holds a pending wrap before the next diff arrives.
    /// </summary>
    [Test]
    public void IncrementalDiffsAreRightOnATerminalHoldingAPendingWrap([Range(0, 19)] int seed)
    {
        var random = new Random(6000 + seed);
        (int width, int height) = DisplayScreens.RandomSize(random);
        Display display = RandomDisplay(random);
        Framebuffer last = DisplayScreens.RandomFrame(random, width, height);
        IDisplayTestTerminal terminal = DisplayTestTerminal.Create(kind, width, height);
        Apply(terminal, display, initialized: false, new Framebuffer(width, height), last);
        for (int step = 0; step < 100; step++)
        {
            Framebuffer next = DisplayScreens.Evolve(random, last);
            if (random.Next(2) == 0)
            {
                next.State.MoveRow(random.Next(next.Height));
                next.State.MoveColumn(next.Width - 1);
            }

            HoldPendingWrapAtLastColumn(terminal);
            Apply(terminal, display, initialized: true, last, next);
            AssertShows(next, terminal, display, $"seed {seed} step {step} {last.Width}x{last.Height} -> {next.Width}x{next.Height}");
            last = next;
        }
    }

    /// <summary>
    /// Upstream's verifier replays each diff onto the sender's own state, which holds whatever pending wrap the
    /// application's output left: text filling the last column on one frame and wrapping on the next (upstream's
    /// emulation-wrap-across-frames) must still land where it belongs.
    /// </summary>
    [Test]
    public void DiffsAreRightOnATerminalHoldingTheApplicationsPendingWrap([Range(0, 9)] int seed)
    {
        var random = new Random(7000 + seed);
        (int width, int height) = DisplayScreens.RandomSize(random);
        Display display = RandomDisplay(random);
        var application = new Emulator(width, height);
        IDisplayTestTerminal terminal = DisplayTestTerminal.Create(kind, width, height);
        Framebuffer last = new(width, height);
        Apply(terminal, display, initialized: false, last, last);
        for (int step = 0; step < 60; step++)
        {
            // Rows filled exactly to the last column, one frame at a time, as the upstream script prints them.
            string fill = new((char)('a' + (step % 26)), width - 1);
            application.Write(System.Text.Encoding.UTF8.GetBytes(random.Next(3) == 0
                ? DisplayApplicationOutput.Next(random, width, height)
                : fill + (char)('0' + (step % 10))));
            Framebuffer next = application.Framebuffer.Clone();
            DisplayScreens.Canonicalize(next);
            terminal.Frame.State.NextPrintWillWrap = application.Framebuffer.State.NextPrintWillWrap
                && terminal.Frame.State.CursorColumn == width - 1;
            Apply(terminal, display, initialized: true, last, next);
            AssertShows(next, terminal, display, $"seed {seed} step {step} {width}x{height}");
            last = next;
        }
    }

    private static void HoldPendingWrapAtLastColumn(IDisplayTestTerminal terminal)
    {
        ref DrawState state = ref terminal.Frame.State;
        if (state.CursorColumn == state.Width - 1 && state.AutoWrapMode)
        {
            state.NextPrintWillWrap = true;
        }
    }

    [Test]
    public void DiffBetweenUnrelatedScreensOfTheSameSizeShowsTheNewOne([Range(0, 9)] int seed)
    {
        var random = new Random(3000 + seed);
        for (int i = 0; i < 40; i++)
        {
            (int width, int height) = DisplayScreens.RandomSize(random);
            Display display = RandomDisplay(random);
            Framebuffer a = DisplayScreens.RandomFrame(random, width, height);
            Framebuffer b = DisplayScreens.RandomFrame(random, width, height);
            IDisplayTestTerminal terminal = DisplayTestTerminal.Create(kind, width, height);
            Apply(terminal, display, initialized: false, new Framebuffer(width, height), a);
            Apply(terminal, display, initialized: true, a, b);
            AssertShows(b, terminal, display, $"seed {seed} case {i}");
        }
    }

    [Test]
    public void DiffOfAFrameAgainstItselfChangesNothingVisible([Range(0, 4)] int seed)
    {
        var random = new Random(4000 + seed);
        for (int i = 0; i < 50; i++)
        {
            (int width, int height) = DisplayScreens.RandomSize(random);
            var display = Display.ForServer();
            Framebuffer a = DisplayScreens.RandomFrame(random, width, height);
            Assert.That(display.NewFrame(true, a, a), Is.Empty);
            Assert.That(display.NewFrame(true, a, a.Clone()), Is.Empty);
        }
    }

    [Test]
    public void ScreensTheEmulatorDrewFromApplicationOutputAreReproducedStepByStep([Range(0, 29)] int seed)
    {
        var random = new Random(5000 + seed);
        (int width, int height) = DisplayScreens.RandomSize(random);
        Display display = RandomDisplay(random);
        var application = new Emulator(width, height);
        IDisplayTestTerminal terminal = DisplayTestTerminal.Create(kind, width, height);
        Framebuffer last = new(width, height);
        bool initialized = false;
        for (int step = 0; step < 60; step++)
        {
            for (int i = random.Next(1, 12); i > 0; i--)
            {
                application.Write(System.Text.Encoding.UTF8.GetBytes(DisplayApplicationOutput.Next(random, width, height)));
            }

            if (random.Next(25) == 0)
            {
                (width, height) = DisplayScreens.RandomSize(random);
                application.Resize(width, height);
            }

            // Wide characters cut by an edge or with an overwritten right half cannot be shown by any terminal.
            Framebuffer next = application.Framebuffer.Clone();
            DisplayScreens.Canonicalize(next);
            Apply(terminal, display, initialized, last, next);
            AssertShows(next, terminal, display, $"seed {seed} step {step} {width}x{height}");
            last = next;
            initialized = true;
        }
    }
}
