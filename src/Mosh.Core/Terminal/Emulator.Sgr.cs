using System.Runtime.CompilerServices;

namespace Mosh.Terminal;

// SGR: attributes and colours, with upstream's ';' forms and the colon forms upstream lacks.
internal sealed partial class Emulator
{
    private void SelectGraphicRendition(CsiParams p) => ApplySgr(ref _fb.State.Renditions, p);

    /// <summary>SGR with <paramref name="p"/> applied to <paramref name="r"/>: what the emulator does for <c>CSI p m</c>.</summary>
    internal static void ApplySgr(ref Renditions r, CsiParams p)
    {
        if (!p.HasSubParameters)
        {
            ApplySgr(ref r, p.Elements);
            return;
        }

        int count = p.Count;
        Span<int> following = stackalloc int[4]; // the most an extended colour takes after its code
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
                // The top-level values after it (their first elements where they have sub-parameters).
                int known = Math.Min(following.Length, count - i - 1);
                for (int k = 0; k < known; k++)
                {
                    following[k] = p[i + 1 + k];
                }

                int taken = ApplyExtendedColour(ref r, code, following[..known]);
                if (taken > 0)
                {
                    i += taken;
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
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void SelectGraphicRendition(ReadOnlySpan<int> values) => ApplySgr(ref _fb.State.Renditions, values);

    /// <summary>SGR over raw values (-1 for a missing one) applied to <paramref name="r"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void ApplySgr(ref Renditions r, ReadOnlySpan<int> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            int code = Math.Max(values[i], 0); // missing or 0: reset
            if (code is 38 or 48 && ApplyExtendedColour(ref r, code, values[(i + 1)..]) is > 0 and int taken)
            {
                i += taken;
                continue;
            }

            ApplyRendition(ref r, code);
        }
    }

    /// <summary>
    /// <paramref name="code"/> (38 or 48) in upstream's ';' form: 5;N or 2;R;G;B from the parameters that follow it
    /// (raw values, -1 when missing). Applied, and how many of them it took; 0 when they are neither form.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int ApplyExtendedColour(ref Renditions r, int code, ReadOnlySpan<int> following)
    {
        // 38;5;N: here a 0 in N is colour 0, not a reset.
        if (following.Length >= 2 && following[0] == 5)
        {
            SetIndexed(ref r, code, Math.Max(following[1], 0));
            return 2;
        }

        if (following.Length >= 4 && following[0] == 2)
        {
            SetTrueColorAsUpstream(ref r, code, Math.Max(following[1], 0), Math.Max(following[2], 0), Math.Max(following[3], 0));
            return 4;
        }

        return 0;
    }

    /// <summary>One SGR code (upstream's set_rendition); unknown codes are ignored.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
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
