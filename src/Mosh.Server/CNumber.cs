namespace Mosh.Server;

/// <summary>Decimal numbers read like C's strtol(s, &amp;end, 10), so odd inputs are accepted or refused as upstream's are.</summary>
internal static class CNumber
{
    /// <summary>
    /// Skips leading blanks, takes an optional sign and the longest run of digits starting at <paramref name="start"/>.
    /// <paramref name="end"/> is where reading stopped (back at <paramref name="start"/> when there were no digits,
    /// giving 0, as strtol does). Returns false only when the value does not fit a long (strtol's ERANGE).
    /// </summary>
    public static bool TryParseLong(string text, int start, out long value, out int end)
    {
        value = 0;
        int i = start;
        while (i < text.Length && text[i] is ' ' or '\t' or '\n' or '\v' or '\f' or '\r')
        {
            i++;
        }
        bool negative = false;
        if (i < text.Length && text[i] is '+' or '-')
        {
            negative = text[i] == '-';
            i++;
        }
        int digitsStart = i;
        decimal magnitude = 0;
        while (i < text.Length && text[i] is >= '0' and <= '9')
        {
            magnitude = magnitude * 10 + (text[i] - '0');
            if (magnitude > (decimal)long.MaxValue + 1)
            {
                magnitude = (decimal)long.MaxValue + 2;
            }
            i++;
        }
        if (i == digitsStart)
        {
            end = start;
            return true;
        }
        end = i;
        decimal signed = negative ? -magnitude : magnitude;
        if (signed > long.MaxValue || signed < long.MinValue)
        {
            return false;
        }
        value = (long)signed;
        return true;
    }

    /// <summary>strtol over the whole string, as upstream's myatoi: false when anything is left over or out of range.</summary>
    public static bool TryParseWhole(string text, out long value) =>
        TryParseLong(text, 0, out value, out int end) && end == text.Length;
}
