using System.Text;
using Mosh.Terminal;

namespace Mosh.Tests.Terminal;

/// <summary>
/// A small, strict terminal for testing the display: it understands exactly the escape sequences a display diff
/// may contain (written from ECMA-48 / xterm semantics and upstream's emulator rules: deferred wrap, wide
/// characters, combining marks, BCE) and applies them to a <see cref="Framebuffer"/>. Anything else throws, so
/// the tests also prove the display stays inside that vocabulary. Used until the real emulator lands; then the
/// round-trip tests run against both.
/// </summary>
internal sealed class DisplayReplayTerminal
{
    private int _combiningRow = -1;
    private int _combiningColumn = -1;

    public DisplayReplayTerminal(int width, int height) => Frame = new Framebuffer(width, height);

    public Framebuffer Frame { get; }

    private ref DrawState State => ref Frame.State;

    /// <summary>The user resized the window: the terminal keeps what fits (its contents are not trusted after).</summary>
    public void Resize(int width, int height) => Frame.Resize(width, height);

    public void Feed(string text) => Feed(Encoding.UTF8.GetBytes(text));

    public void Feed(ReadOnlySpan<byte> bytes)
    {
        int i = 0;
        while (i < bytes.Length)
        {
            byte b = bytes[i];
            if (b == 0x1B)
            {
                i = Escape(bytes, i + 1);
                continue;
            }

            if (b < 0x20)
            {
                Control(b);
                i++;
                continue;
            }

            if (System.Buffers.OperationStatus.Done != Rune.DecodeFromUtf8(bytes[i..], out Rune rune, out int consumed))
            {
                throw new FormatException($"invalid UTF-8 at byte {i}");
            }

            Print(rune.Value);
            i += consumed;
        }
    }

    private void Control(byte b)
    {
        switch (b)
        {
            case 0x07:
                Frame.RingBell();
                break;
            case 0x08:
                State.MoveColumn(-1, relative: true);
                break;
            case 0x0D:
                State.MoveColumn(0);
                break;
            case 0x0A:
                Frame.MoveRowsAutoscroll(1);
                break;
            default:
                throw new FormatException($"unexpected control 0x{b:X2}");
        }
    }

    private void Print(int codePoint)
    {
        int width = codePoint is >= 0xA0 and <= 0xFF ? 1 : CharWidth.Of(codePoint);
        if (width == 0)
        {
            Row? target = _combiningRow >= 0 ? Frame.GetMutableRow(_combiningRow) : null;
            if (target is null)
            {
                throw new FormatException("combining mark with nothing to combine with");
            }

            target.AppendToCell(_combiningColumn, codePoint);
            return;
        }

        if (width < 0)
        {
            throw new FormatException($"unprintable U+{codePoint:X4}");
        }

        if (State.NextPrintWillWrap && State.AutoWrapMode)
        {
            Frame.GetMutableRow(State.CursorRow).Wrap = true;
            State.MoveColumn(0);
            Frame.MoveRowsAutoscroll(1);
        }

        if (width == 2 && State.CursorColumn == State.Width - 1)
        {
            throw new FormatException("wide character printed in the last column");
        }

        int row = State.CursorRow, column = State.CursorColumn;
        Row line = Frame.GetMutableRow(row);
        line.SetCharacter(column, codePoint, State.Renditions, wide: width == 2);
        if (width == 2)
        {
            line.ResetCell(column + 1, State.Renditions.Background);
        }

        _combiningRow = row;
        _combiningColumn = column;
        State.MoveColumn(width, relative: true, @implicit: true);
    }

    private int Escape(ReadOnlySpan<byte> bytes, int i)
    {
        byte kind = bytes[i];
        if (kind == (byte)'[')
        {
            return Csi(bytes, i + 1);
        }

        if (kind == (byte)']')
        {
            return Osc(bytes, i + 1);
        }

        throw new FormatException($"unexpected ESC {(char)kind}");
    }

    private int Csi(ReadOnlySpan<byte> bytes, int i)
    {
        bool isPrivate = bytes[i] == (byte)'?';
        if (isPrivate)
        {
            i++;
        }

        var parameters = new List<int>();
        int current = -1;
        while (bytes[i] is >= (byte)'0' and <= (byte)'9' or (byte)';')
        {
            if (bytes[i] == (byte)';')
            {
                parameters.Add(current);
                current = -1;
            }
            else
            {
                current = (current < 0 ? 0 : current * 10) + (bytes[i] - '0');
            }

            i++;
        }

        parameters.Add(current);
        char final = (char)bytes[i];
        int Param(int index, int fallback) => index < parameters.Count && parameters[index] > 0 ? parameters[index] : fallback;

        switch (final)
        {
            case 'h' or 'l' when isPrivate:
                SetMode(Param(0, 0), final == 'h');
                break;
            case 'H':
                State.MoveRow(Param(0, 1) - 1);
                State.MoveColumn(Param(1, 1) - 1);
                break;
            case 'r':
                State.SetScrollingRegion(Param(0, 1) - 1, Param(1, State.Height) - 1);
                State.MoveRow(0);
                State.MoveColumn(0);
                break;
            case 'm':
                Sgr(parameters);
                break;
            case 'J' when Param(0, 0) == 2:
                for (int y = 0; y < State.Height; y++)
                {
                    Frame.ResetRow(y);
                }

                break;
            case 'K' when parameters is [-1]:
                Frame.ResetCells(State.CursorRow, State.CursorColumn, State.Width - 1);
                break;
            case 'X':
                Frame.ResetCells(State.CursorRow, State.CursorColumn,
                    Math.Min(State.CursorColumn + Param(0, 1) - 1, State.Width - 1));
                break;
            default:
                throw new FormatException($"unexpected CSI {(isPrivate ? "?" : "")}{string.Join(';', parameters)}{final}");
        }

        if (final is not ('m' or 'h' or 'l'))
        {
            State.NextPrintWillWrap = false;
        }

        return i + 1;
    }

    private void SetMode(int mode, bool on)
    {
        switch (mode)
        {
            case 5:
                State.ReverseVideo = on;
                break;
            case 25:
                State.CursorVisible = on;
                break;
            case 2004:
                State.BracketedPaste = on;
                break;
            case 1004:
                State.MouseFocusEvent = on;
                break;
            case 9 or 1000 or 1001 or 1002 or 1003:
                State.MouseReportingMode = on ? (MouseReportingMode)mode : MouseReportingMode.None;
                break;
            case 1005 or 1006 or 1015:
                State.MouseEncodingMode = on ? (MouseEncodingMode)mode : MouseEncodingMode.Default;
                break;
            default:
                throw new FormatException($"unexpected mode {mode}");
        }
    }

    private void Sgr(List<int> p)
    {
        ref Renditions r = ref State.Renditions;
        for (int k = 0; k < p.Count; k++)
        {
            int code = Math.Max(p[k], 0);
            switch (code)
            {
                case 0:
                    r.ResetGraphics();
                    break;
                case 1:
                    r.Set(TextAttributes.Bold, true);
                    break;
                case 3:
                    r.Set(TextAttributes.Italic, true);
                    break;
                case 4:
                    r.Set(TextAttributes.Underline, true);
                    break;
                case 5:
                    r.Set(TextAttributes.Blink, true);
                    break;
                case 7:
                    r.Set(TextAttributes.Inverse, true);
                    break;
                case 8:
                    r.Set(TextAttributes.Invisible, true);
                    break;
                case >= 30 and <= 37:
                    r.Foreground = TerminalColor.Indexed(code - 30);
                    break;
                case >= 40 and <= 47:
                    r.Background = TerminalColor.Indexed(code - 40);
                    break;
                case 38 or 48:
                    TerminalColor color;
                    if (p[k + 1] == 5)
                    {
                        color = TerminalColor.Indexed(p[k + 2]);
                        k += 2;
                    }
                    else if (p[k + 1] == 2)
                    {
                        color = TerminalColor.Rgb((byte)p[k + 2], (byte)p[k + 3], (byte)p[k + 4]);
                        k += 4;
                    }
                    else
                    {
                        throw new FormatException("bad extended colour");
                    }

                    if (code == 38)
                    {
                        r.Foreground = color;
                    }
                    else
                    {
                        r.Background = color;
                    }

                    break;
                default:
                    throw new FormatException($"unexpected SGR {code}");
            }
        }
    }

    private int Osc(ReadOnlySpan<byte> bytes, int i)
    {
        int start = i;
        int end;
        int next;
        while (true)
        {
            if (bytes[i] == 0x07)
            {
                end = i;
                next = i + 1;
                break;
            }

            if (bytes[i] == 0x1B && bytes[i + 1] == (byte)'\\')
            {
                end = i;
                next = i + 2;
                break;
            }

            i++;
        }

        string text = Encoding.UTF8.GetString(bytes[start..end]);
        int semicolon = text.IndexOf(';', StringComparison.Ordinal);
        string command = text[..semicolon];
        string argument = text[(semicolon + 1)..];
        switch (command)
        {
            case "0":
                Frame.SetTitleInitialized();
                Frame.SetIconName(argument);
                Frame.SetWindowTitle(argument);
                break;
            case "1":
                Frame.SetTitleInitialized();
                Frame.SetIconName(argument);
                break;
            case "2":
                Frame.SetTitleInitialized();
                Frame.SetWindowTitle(argument);
                break;
            case "52" when argument.StartsWith("c;", StringComparison.Ordinal):
                Frame.SetClipboard(argument[2..]);
                break;
            case "8":
                int split = argument.IndexOf(';', StringComparison.Ordinal);
                State.Renditions.HyperlinkId = Frame.InternHyperlink(new Hyperlink(argument[..split], argument[(split + 1)..]));
                break;
            default:
                throw new FormatException($"unexpected OSC {command}");
        }

        return next;
    }
}
