namespace Mosh.Terminal;

/// <summary>
/// The terminal emulator mosh-server runs every byte the application prints through (and mosh-client runs
/// the server's display updates through): parses bytes with <see cref="AnsiParser"/> and applies the
/// actions to a <see cref="Framebuffer"/> with upstream mosh 1.4.0's semantics, plus colon SGR forms and OSC 8
/// hyperlinks. Replies to the application (device attributes, status reports) and translated user keystrokes
/// collect in <see cref="TerminalToHost"/> for the caller to write to the pty and then
/// <see cref="ClearTerminalToHost"/>. Not thread-safe.
/// </summary>
internal sealed partial class Emulator
{
    /// <summary>Replies beyond this many pending bytes are dropped (an undrained flood of DSR requests).</summary>
    public const int MaxPendingAnswerBytes = 64 * 1024;

    private readonly AnsiParser _parser = new();
    private readonly Framebuffer _fb;
    private readonly UserInputTranslator _userInput = new();
    private byte[] _toHost = new byte[256];
    private int _toHostLength;

    public Emulator(int width, int height)
    {
        _fb = new Framebuffer(width, height);
    }

    /// <summary>An emulator continuing from a copy of <paramref name="screen"/> (the parser starts in ground state).</summary>
    public Emulator(Framebuffer screen)
    {
        _fb = screen.Clone();
    }

    /// <summary>The live screen state. Take <see cref="Framebuffer.Clone"/> for a snapshot.</summary>
    public Framebuffer Framebuffer => _fb;

    /// <summary>The application switched to the alternate screen (modes 47/1047/1049): what it draws is not history.</summary>
    public bool IsAlternateScreen => _fb.IsAlternateScreen;

    /// <summary>The parser (for state inspection in tests).</summary>
    internal AnsiParser Parser => _parser;

    /// <summary>Bytes to send to the application: terminal replies and translated user input.</summary>
    public ReadOnlySpan<byte> TerminalToHost => _toHost.AsSpan(0, _toHostLength);

    public void ClearTerminalToHost() => _toHostLength = 0;

    /// <summary>Applies output of the application (any bytes; sequences may be split across calls).</summary>
    public unsafe void Write(ReadOnlySpan<byte> data)
    {
        var handler = new ActionHandler(this);
        _floodScanLimit = int.MaxValue; // the limit measures what is left of one write
        fixed (byte* written = data)
        {
            // Pinned for the rows that keep what the application writes for them (Emulator.Verbatim.cs).
            _written = written;
            _writtenLength = data.Length;
            _verbatimFrom = 0;
            try
            {
                _parser.Feed(data, ref handler);
                KeepOpenVerbatim();
            }
            finally
            {
                _written = null;
                _writtenLength = 0;
            }
        }
    }

    /// <summary>
    /// User keystrokes bound for the application. mosh clients always send application-mode cursor keys
    /// (<c>ESC O A</c>); unless the application enabled DECCKM they become <c>ESC [ A</c>.
    /// </summary>
    public void UserInput(ReadOnlySpan<byte> keystrokes)
    {
        Span<byte> translated = stackalloc byte[UserInputTranslator.MaxOutputPerByte];
        foreach (byte b in keystrokes)
        {
            int n = _userInput.Translate(b, _fb.State.ApplicationModeCursorKeys, translated);
            AppendToHost(translated[..n], isAnswer: false);
        }
    }

    /// <summary>The window changed size (content kept as upstream, or as a terminal with scrollback; see <see cref="Framebuffer.Resize"/>).</summary>
    public void Resize(int width, int height, bool likeScrollbackTerminal = false) => _fb.Resize(width, height, likeScrollbackTerminal);

    private void AppendToHost(ReadOnlySpan<byte> bytes, bool isAnswer)
    {
        if (isAnswer && _toHostLength + bytes.Length > MaxPendingAnswerBytes)
        {
            return;
        }

        if (_toHostLength + bytes.Length > _toHost.Length)
        {
            Array.Resize(ref _toHost, Math.Max(_toHost.Length * 2, _toHostLength + bytes.Length));
        }

        bytes.CopyTo(_toHost.AsSpan(_toHostLength));
        _toHostLength += bytes.Length;
    }

    /// <summary>Forwards parser actions to the emulator; a struct so the generic parser calls it directly.</summary>
    private readonly struct ActionHandler(Emulator emulator) : IParserHandler
    {
        public void Print(int codePoint) => emulator.Print(codePoint);

        public void PrintAscii(ReadOnlySpan<byte> text) => emulator.PrintAscii(text);

        public void Execute(int control)
        {
            if (control is 0x0A or 0x0D)
            {
                emulator.CloseVerbatimRow(emulator._parser.TokenStart); // the row's bytes end here
            }
            else
            {
                emulator.AbandonVerbatimRow();
            }

            emulator.Execute(control);
        }

        public int TakeLines(ReadOnlySpan<byte> following)
        {
            int taken = emulator.TakeFloodLines(following);
            emulator.StartVerbatimRow(emulator._writtenLength - following.Length + taken);
            return taken;
        }

        public void EscDispatch(ReadOnlySpan<byte> intermediates, int final)
        {
            emulator.AbandonVerbatimRow();
            emulator.EscDispatch(intermediates, final);
        }

        public void CsiDispatch(CsiParams parameters, ReadOnlySpan<byte> intermediates, int final)
        {
            if (!KeepsVerbatim(parameters, intermediates, final))
            {
                emulator.AbandonVerbatimRow();
            }

            emulator.CsiDispatch(parameters, intermediates, final);
        }

        public void SelectGraphicRendition(ReadOnlySpan<int> parameters) => emulator.SelectGraphicRendition(parameters);

        public void DcsHook(CsiParams parameters, ReadOnlySpan<byte> intermediates, int final)
        {
            // Device control strings are ignored, as upstream (but not kept in a row's bytes).
            emulator.AbandonVerbatimRow();
        }

        public void DcsPut(int codePoint)
        {
        }

        public void DcsUnhook()
        {
        }

        public void OscStart()
        {
            emulator.AbandonVerbatimRow();
            emulator.OscStart();
        }

        public void OscPut(int codePoint) => emulator.OscPut(codePoint);

        public void OscEnd() => emulator.OscEnd();
    }
}
