using System.Text;

namespace Mosh.Wrapper;

/// <summary>Splits and quotes words the way a POSIX shell reads them (for <c>--ssh</c> and the remote command).</summary>
internal static class ShellWords
{
    /// <summary>
    /// Splits <paramref name="text"/> into words: blanks separate words; single quotes keep everything literally;
    /// double quotes keep everything except that a backslash still escapes <c>\ " $ `</c> and newline; an unquoted
    /// backslash escapes the next character (and a backslash-newline pair disappears). Returns null when a quote is
    /// left open or the text ends in a lone backslash. No expansions are performed.
    /// </summary>
    public static string[]? Split(string text)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        bool inWord = false;
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (c is ' ' or '\t' or '\n')
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }
                i++;
                continue;
            }

            inWord = true;
            switch (c)
            {
                case '\'':
                    int close = text.IndexOf('\'', i + 1);
                    if (close < 0)
                    {
                        return null;
                    }
                    word.Append(text, i + 1, close - i - 1);
                    i = close + 1;
                    break;
                case '"':
                    i++;
                    while (true)
                    {
                        if (i >= text.Length)
                        {
                            return null;
                        }
                        char d = text[i];
                        if (d == '"')
                        {
                            i++;
                            break;
                        }
                        if (d == '\\' && i + 1 < text.Length && text[i + 1] is '\\' or '"' or '$' or '`' or '\n')
                        {
                            if (text[i + 1] != '\n')
                            {
                                word.Append(text[i + 1]);
                            }
                            i += 2;
                            continue;
                        }
                        word.Append(d);
                        i++;
                    }
                    break;
                case '\\':
                    if (i + 1 >= text.Length)
                    {
                        return null;
                    }
                    if (text[i + 1] != '\n')
                    {
                        word.Append(text[i + 1]);
                    }
                    else if (word.Length == 0)
                    {
                        inWord = false;
                    }
                    i += 2;
                    break;
                default:
                    word.Append(c);
                    i++;
                    break;
            }
        }
        if (inWord)
        {
            words.Add(word.ToString());
        }
        return words.ToArray();
    }

    /// <summary>Quotes one word so any POSIX shell reads it back unchanged: <c>it's</c> becomes <c>'it'\''s'</c>.</summary>
    public static string Quote(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>Quotes each word and joins them with single spaces.</summary>
    public static string QuoteAll(IEnumerable<string> words) => string.Join(' ', words.Select(Quote));
}
