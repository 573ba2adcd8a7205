namespace Mosh.Client;

/// <summary>What a typed byte did besides the keystrokes it produced.</summary>
internal enum EscapeEvent
{
    /// <summary>Nothing special: forward the produced keystrokes.</summary>
    None,

    /// <summary>The escape key started a command: show the help text.</summary>
    CommandStarted,

    /// <summary>The command ended by passing keys on: hide the help text.</summary>
    CommandEnded,

    /// <summary>Escape then "." : quit.</summary>
    Quit,

    /// <summary>Escape then Ctrl-Z: suspend the client.</summary>
    Suspend,

    /// <summary>Ctrl-L outside a command: repaint the whole screen (the byte is still forwarded).</summary>
    Repaint,
}

/// <summary>
/// The client's escape key (default Ctrl-^, <c>MOSH_ESCAPE_KEY</c>): escape "." quits, escape Ctrl-Z suspends,
/// escape followed by the pass key ("^" for Ctrl-^, the letter itself for other keys) sends the escape key, escape
/// followed by anything else sends both. A printable escape key only counts right after CR or LF. The escape key
/// may not be Ctrl-C, Ctrl-D, LF, Ctrl-L or CR; an empty MOSH_ESCAPE_KEY disables it.
/// </summary>
internal sealed class EscapeKeyHandler
{
    public const string Variable = "MOSH_ESCAPE_KEY";

    private const int DefaultKey = 0x1E; // Ctrl-^
    private const int Disabled = -1;
    private const byte CtrlL = 0x0C;
    private const byte CtrlZ = 0x1A;

    private readonly int _key;
    private readonly int _passKey;
    private readonly int _passKeyAlternative;
    private readonly bool _requiresLineStart;
    private bool _commandStarted;
    private bool _atLineStart;

    private EscapeKeyHandler(int key, int passKey, int passKeyAlternative)
    {
        _key = key;
        _passKey = passKey;
        _passKeyAlternative = passKeyAlternative;
        _requiresLineStart = key >= 32;
        if (key > 0)
        {
            string passName = $"\"{(char)passKey}\"";
            KeyName = key < 32 ? $"Ctrl-{(char)passKey}" : $"\"{(char)key}\"";
            HelpText = $"Commands: Ctrl-Z suspends, \".\" quits, {passName} gives literal {KeyName}";
        }
    }

    /// <summary>How the bar names the key ("Ctrl-^"); null when the escape key is disabled.</summary>
    public string? KeyName { get; }

    /// <summary>The bar text while a command is pending; null when disabled.</summary>
    public string? HelpText { get; }

    /// <summary>Reads the variable's value (null: unset) with upstream's rules and fallbacks.</summary>
    public static EscapeKeyHandler FromSetting(string? setting)
    {
        int key = DefaultKey;
        if (setting is { Length: 0 })
        {
            return new EscapeKeyHandler(Disabled, 0, 0);
        }

        if (setting is { Length: 1 } && setting[0] is > '\0' and < (char)128)
        {
            key = setting[0];
        }

        if (key is 0x03 or 0x04 or 0x0A or 0x0C or 0x0D)
        {
            key = DefaultKey; // too easy to shoot oneself in the foot with these
        }

        int pass = key < 32 ? key + '@' : key;
        int alternative = pass is >= 'A' and <= 'Z' ? pass + ('a' - 'A') : pass;
        return new EscapeKeyHandler(key, pass, alternative);
    }

    /// <summary>
    /// Handles one typed byte. The keystrokes to send (zero, one or two bytes) go to <paramref name="output"/>
    /// (at least two long); returns their count in <paramref name="written"/>.
    /// </summary>
    public EscapeEvent Feed(byte input, Span<byte> output, out int written)
    {
        written = 0;
        if (_commandStarted)
        {
            _commandStarted = false;
            if (input == '.')
            {
                return EscapeEvent.Quit;
            }

            if (input == CtrlZ)
            {
                return EscapeEvent.Suspend;
            }

            output[written++] = (byte)_key;
            if (input != _passKey && input != _passKeyAlternative)
            {
                output[written++] = input;
            }

            return EscapeEvent.CommandEnded;
        }

        if (_key > 0 && input == _key && (_atLineStart || !_requiresLineStart))
        {
            _commandStarted = true;
            _atLineStart = false;
            return EscapeEvent.CommandStarted;
        }

        _atLineStart = input is 0x0A or 0x0D;
        output[written++] = input;
        return input == CtrlL ? EscapeEvent.Repaint : EscapeEvent.None;
    }
}
