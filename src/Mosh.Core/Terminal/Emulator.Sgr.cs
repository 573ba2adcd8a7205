namespace Mosh.Terminal;

// SGR: attributes and colours, with upstream's ';' forms and the colon forms upstream lacks.
internal sealed partial class Emulator
{
    private void SelectGraphicRendition(CsiParams p)
    {
        if (!p.HasSubParameters)
        {
            SelectGraphicRendition(p.Elements);
            return;
        }

        ref Renditions r = ref _fb.State.Renditions;
        int count = p.Count;
        for (int i = 0; i < count; i++)
        {
            int code = p.Get(i, 0);
            if (p.SubParameters(i) is { IsEmpty: false } subs)
            {
                ApplyColonForm(ref r, code, subs);
                continue;
            }

            if (code is 38 or 48)
            {
                // 38;5;N: here a 0 in N is colour 0, not a reset.
                if (count - i >= 3 && p.Get(i + 1, -1) == 5)
                {
                    SetIndexed(ref r, code, p.Get(i + 2, 0));
                    i += 2;
                    continue;
                }

                if (count - i >= 5 && p.Get(i + 1, -1) == 2)
                {
                    SetTrueColorAsUpstream(ref r, code, p.Get(i + 2, 0), p.Get(i + 3, 0), p.Get(i + 4, 0));
                    i += 4;
                    continue;
                }
            }

            ApplyRendition(ref r, code);
        }
    }

    /// <summary>
    /// SGR without colon forms, over the raw values (-1 for a missing one): what the loop above does for such a
    /// sequence, without going through <see cref="CsiParams"/> (coloured output has one of these per colour change).
    /// </summary>
    private void SelectGraphicRendition(ReadOnlySpan<int> values)
    {
        ref Renditions r = ref _fb.State.Renditions;
        for (int i = 0; i < values.Length; i++)
        {
            int code = Math.Max(values[i], 0); // missing or 0: reset
            if (code is 38 or 48)
            {
                int rest = values.Length - i;
                if (rest >= 3 && values[i + 1] == 5)
                {
                    SetIndexed(ref r, code, Math.Max(values[i + 2], 0));
                    i += 2;
                    continue;
                }

                if (rest >= 5 && values[i + 1] == 2)
                {
                    SetTrueColorAsUpstream(ref r, code, Math.Max(values[i + 2], 0), Math.Max(values[i + 3], 0), Math.Max(values[i + 4], 0));
                    i += 4;
                    continue;
                }
            }

            ApplyRendition(ref r, code);
        }
    }

    /// <summary>One SGR code (upstream's set_rendition); unknown codes are ignored.</summary>
    private static void ApplyRendition(ref Renditions r, int code)
    {
        switch (code)
        {
            case 0:
                r.ResetGraphics();
                break;
            case 39:
                r.Foreground = TerminalColor.Default;
                break;
            case 49:
                r.Background = TerminalColor.Default;
                break;
            case >= 30 and <= 37:
                r.Foreground = TerminalColor.Indexed(code - 30);
                break;
            case >= 40 and <= 47:
                r.Background = TerminalColor.Indexed(code - 40);
                break;
            case >= 90 and <= 97:
                r.Foreground = TerminalColor.Indexed(code - 90 + 8);
                break;
            case >= 100 and <= 107:
                r.Background = TerminalColor.Indexed(code - 100 + 8);
                break;
            case 1 or 22:
                r.Set(TextAttributes.Bold, code < 9);
                break;
            case 3 or 23:
                r.Set(TextAttributes.Italic, code < 9);
                break;
            case 4 or 24:
                r.Set(TextAttributes.Underline, code < 9);
                break;
            case 5 or 25:
                r.Set(TextAttributes.Blink, code < 9);
                break;
            case 7 or 27:
                r.Set(TextAttributes.Inverse, code < 9);
                break;
            case 8 or 28:
                r.Set(TextAttributes.Invisible, code < 9);
                break;
            default:
                break;
        }
    }

    private static void SetIndexed(ref Renditions r, int layer, int index)
    {
        if (index > 255)
        {
            return;
        }

        if (layer == 38)
        {
            r.Foreground = TerminalColor.Indexed(index);
        }
        else
        {
            r.Background = TerminalColor.Indexed(index);
        }
    }

    private static void SetRgb(ref Renditions r, int layer, TerminalColor color)
    {
        if (layer == 38)
        {
            r.Foreground = color;
        }
        else if (layer == 48)
        {
            r.Background = color;
        }
    }

    /// <summary>
    /// 38;2;r;g;b with upstream's arithmetic: components are not range-checked but packed into 24 bits
    /// (out-of-range values spill into their neighbours exactly as upstream's bit field does).
    /// </summary>
    private static void SetTrueColorAsUpstream(ref Renditions r, int layer, int red, int green, int blue)
    {
        uint packed = (uint)(red << 16) | (uint)(green << 8) | (uint)blue;
        SetRgb(ref r, layer, TerminalColor.Rgb((byte)(packed >> 16), (byte)(packed >> 8), (byte)packed));
    }

    /// <summary>
    /// Colon forms (ITU T.416 / xterm / kitty): <c>38:5:N</c>, <c>38:2:r:g:b</c>, <c>38:2:cs:r:g:b</c> (also 48),
    /// <c>4:n</c> underline style. Malformed or other colon forms are ignored.
    /// </summary>
    private static void ApplyColonForm(ref Renditions r, int code, ReadOnlySpan<int> subs)
    {
        switch (code)
        {
            case 4:
                int style = subs[0] < 0 ? 1 : subs[0];
                if (style <= (int)UnderlineStyle.Dashed)
                {
                    r.SetUnderline((UnderlineStyle)style);
                }

                break;
            case 38 or 48 when subs[0] == 5 && subs.Length >= 2:
                SetIndexed(ref r, code, Math.Max(subs[1], 0));
                break;
            case 38 or 48 when subs[0] == 2 && subs.Length >= 4:
                ReadOnlySpan<int> rgb = subs.Length >= 5 ? subs.Slice(2, 3) : subs.Slice(1, 3);
                int red = Math.Max(rgb[0], 0), green = Math.Max(rgb[1], 0), blue = Math.Max(rgb[2], 0);
                if (red <= 255 && green <= 255 && blue <= 255)
                {
                    SetRgb(ref r, code, TerminalColor.Rgb((byte)red, (byte)green, (byte)blue));
                }

                break;
            default:
                break;
        }
    }
}
