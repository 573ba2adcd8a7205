using System.Buffers.Binary;
using System.Text;

namespace Mosh.Terminal;

/// <summary>
/// One compiled terminfo entry, parsed straight from the binary format that ncurses' <c>tic</c> writes (the legacy
/// 16-bit-number format and ncurses 6's 32-bit-number format, each with its optional section of user-defined
/// capabilities). The client reads a handful of capabilities at start-up, so this favours a simple, strict parser
/// over speed; <see cref="TerminfoDatabase"/> finds the file.
/// </summary>
internal sealed class Terminfo
{
    /// <summary>Magic of the original format: numbers are signed 16-bit.</summary>
    private const int LegacyMagic = 0x011A;

    /// <summary>Magic of ncurses 6's format whose numbers are signed 32-bit (for e.g. colors#0x1000000).</summary>
    private const int ExtendedNumberMagic = 0x021E;

    /// <summary>ncurses refuses entries larger than this (MAX_ENTRY_SIZE); so do we, before reading them.</summary>
    public const int MaxEntrySize = 32768;

    private const int HeaderSize = 12;
    private const int ExtendedHeaderSize = 10;
    private const byte BooleanTrue = 1;

    private readonly HashSet<string> _booleans;
    private readonly Dictionary<string, int> _numbers;
    private readonly Dictionary<string, string> _strings;

    private Terminfo(string[] names, string? description, HashSet<string> booleans, Dictionary<string, int> numbers,
        Dictionary<string, string> strings)
    {
        Names = names;
        Description = description;
        _booleans = booleans;
        _numbers = numbers;
        _strings = strings;
    }

    /// <summary>The terminal's primary name, e.g. <c>xterm-256color</c>.</summary>
    public string Name => Names[0];

    /// <summary>The primary name followed by its aliases.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The long description (the last field of the names line), if the entry has one.</summary>
    public string? Description { get; }

    /// <summary><c>bce</c>: erasing fills with the current background colour.</summary>
    public bool BackColorErase => GetBoolean("bce");

    /// <summary><c>ech</c>: erase #1 characters (parameterised), or null.</summary>
    public string? EraseChars => GetString("ech");

    /// <summary><c>smcup</c>: enter the alternate screen / cursor-addressing mode, or null.</summary>
    public string? EnterCaMode => GetString("smcup");

    /// <summary><c>rmcup</c>: leave the alternate screen / cursor-addressing mode, or null.</summary>
    public string? ExitCaMode => GetString("rmcup");

    /// <summary><c>colors</c>: number of colours, or null if the entry does not say.</summary>
    public int? Colors => GetNumber("colors");

    /// <summary>True if the boolean capability (predefined or user-defined) is present and set.</summary>
    public bool GetBoolean(string name) => _booleans.Contains(name);

    /// <summary>The numeric capability, or null if absent or cancelled.</summary>
    public int? GetNumber(string name) => _numbers.TryGetValue(name, out int value) ? value : null;

    /// <summary>
    /// The string capability, or null if absent or cancelled. Each char is one byte of the entry (Latin-1), so
    /// <c>Encoding.Latin1.GetBytes</c> gives back exactly what the terminal expects.
    /// </summary>
    public string? GetString(string name) => _strings.TryGetValue(name, out string? value) ? value : null;

    /// <summary>Names of every boolean capability that is set, predefined and user-defined.</summary>
    public IEnumerable<string> BooleanNames => _booleans;

    /// <summary>Every present numeric capability.</summary>
    public IEnumerable<KeyValuePair<string, int>> Numbers => _numbers;

    /// <summary>Every present string capability.</summary>
    public IEnumerable<KeyValuePair<string, string>> Strings => _strings;

    /// <summary>Parses a compiled entry; null if it is not one or is malformed (never throws on bad input).</summary>
    public static Terminfo? Parse(ReadOnlySpan<byte> entry)
    {
        if (entry.Length > MaxEntrySize)
        {
            return null;
        }

        var reader = new EntryReader(entry);
        if (!reader.TryReadInt16(out int magic))
        {
            return null;
        }

        int numberSize = magic switch
        {
            LegacyMagic => 2,
            ExtendedNumberMagic => 4,
            _ => 0,
        };
        if (numberSize == 0
            || !reader.TryReadCount(out int namesSize) || namesSize == 0
            || !reader.TryReadCount(out int booleanCount)
            || !reader.TryReadCount(out int numberCount)
            || !reader.TryReadCount(out int stringCount)
            || !reader.TryReadCount(out int tableSize)
            || !reader.TryTake(namesSize, out var namesField))
        {
            return null;
        }

        string? namesLine = TerminatedString(namesField, 0);
        if (string.IsNullOrEmpty(namesLine))
        {
            return null;
        }

        var booleans = new HashSet<string>(StringComparer.Ordinal);
        var numbers = new Dictionary<string, int>(StringComparer.Ordinal);
        var strings = new Dictionary<string, string>(StringComparer.Ordinal);

        if (!reader.TryTake(booleanCount, out var booleanValues))
        {
            return null;
        }

        for (int i = 0; i < booleanCount && i < TerminfoNames.Booleans.Length; i++)
        {
            if (booleanValues[i] == BooleanTrue)
            {
                booleans.Add(TerminfoNames.Booleans[i]);
            }
        }

        reader.AlignToEven();
        if (!reader.TryTake(numberCount * numberSize, out var numberValues)
            || !reader.TryTake(stringCount * 2, out var stringOffsets)
            || !reader.TryTake(tableSize, out var table))
        {
            return null;
        }

        for (int i = 0; i < numberCount && i < TerminfoNames.Numbers.Length; i++)
        {
            int value = ReadNumber(numberValues, i, numberSize);
            if (value >= 0)
            {
                numbers[TerminfoNames.Numbers[i]] = value;
            }
        }

        for (int i = 0; i < stringCount && i < TerminfoNames.Strings.Length; i++)
        {
            if (StringAt(stringOffsets, i, table, out _) is { } value)
            {
                strings[TerminfoNames.Strings[i]] = value;
            }
        }

        reader.AlignToEven();
        if (reader.Remaining >= ExtendedHeaderSize
            && !ParseExtended(ref reader, numberSize, booleans, numbers, strings))
        {
            return null;
        }

        string[] fields = namesLine.Split('|');
        string? description = fields.Length > 1 ? fields[^1] : null;
        string[] names = fields.Length > 1 ? fields[..^1] : fields;
        return new Terminfo(names, description, booleans, numbers, strings);
    }

    /// <summary>
    /// The user-defined capabilities: counts, values, then one string table holding the string values followed by
    /// the capability names (booleans, numbers, strings, in that order).
    /// </summary>
    private static bool ParseExtended(ref EntryReader reader, int numberSize, HashSet<string> booleans,
        Dictionary<string, int> numbers, Dictionary<string, string> strings)
    {
        if (!reader.TryReadCount(out int booleanCount)
            || !reader.TryReadCount(out int numberCount)
            || !reader.TryReadCount(out int stringCount)
            || !reader.TryReadCount(out _) // number of used table items; the offsets below say the same
            || !reader.TryReadCount(out int tableSize)
            || !reader.TryTake(booleanCount, out var booleanValues))
        {
            return false;
        }

        reader.AlignToEven();
        int nameCount = booleanCount + numberCount + stringCount;
        if (!reader.TryTake(numberCount * numberSize, out var numberValues)
            || !reader.TryTake((stringCount + nameCount) * 2, out var offsets)
            || !reader.TryTake(tableSize, out var table))
        {
            return false;
        }

        var stringValues = new string?[stringCount];
        int namesBase = 0; // the names follow the present string values
        for (int i = 0; i < stringCount; i++)
        {
            stringValues[i] = StringAt(offsets, i, table, out int length);
            if (stringValues[i] is not null)
            {
                namesBase += length + 1;
            }
        }

        if (namesBase > table.Length)
        {
            return false;
        }

        var nameOffsets = offsets[(stringCount * 2)..];
        var namesTable = table[namesBase..];
        for (int i = 0; i < nameCount; i++)
        {
            string? name = StringAt(nameOffsets, i, namesTable, out _);
            if (string.IsNullOrEmpty(name))
            {
                return false;
            }

            if (i < booleanCount)
            {
                if (booleanValues[i] == BooleanTrue)
                {
                    booleans.Add(name);
                }
            }
            else if (i < booleanCount + numberCount)
            {
                int value = ReadNumber(numberValues, i - booleanCount, numberSize);
                if (value >= 0)
                {
                    numbers[name] = value;
                }
            }
            else if (stringValues[i - booleanCount - numberCount] is { } value)
            {
                strings[name] = value;
            }
        }

        return true;
    }

    /// <summary>Negative numbers mean absent (-1) or cancelled (-2).</summary>
    private static int ReadNumber(ReadOnlySpan<byte> values, int index, int numberSize) => numberSize == 2
        ? BinaryPrimitives.ReadInt16LittleEndian(values[(index * 2)..])
        : BinaryPrimitives.ReadInt32LittleEndian(values[(index * 4)..]);

    /// <summary>
    /// The string whose table offset is entry <paramref name="index"/> of <paramref name="offsets"/>; null when the
    /// offset is negative (absent -1, cancelled -2), outside the table, or the string has no NUL inside the table
    /// (ncurses ignores such strings too).
    /// </summary>
    private static string? StringAt(ReadOnlySpan<byte> offsets, int index, ReadOnlySpan<byte> table, out int length)
    {
        int offset = BinaryPrimitives.ReadInt16LittleEndian(offsets[(index * 2)..]);
        length = 0;
        if (offset < 0 || offset >= table.Length)
        {
            return null;
        }

        string? value = TerminatedString(table, offset);
        length = value?.Length ?? 0;
        return value;
    }

    private static string? TerminatedString(ReadOnlySpan<byte> table, int offset)
    {
        var rest = table[offset..];
        int end = rest.IndexOf((byte)0);
        return end < 0 ? null : Encoding.Latin1.GetString(rest[..end]);
    }

    /// <summary>Bounds-checked little-endian cursor over an entry.</summary>
    private ref struct EntryReader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _position;

        public readonly int Remaining => _data.Length - _position;

        public bool TryReadInt16(out int value)
        {
            value = 0;
            if (Remaining < 2)
            {
                return false;
            }

            value = BinaryPrimitives.ReadInt16LittleEndian(_data[_position..]);
            _position += 2;
            return true;
        }

        /// <summary>A header count or size: must be non-negative.</summary>
        public bool TryReadCount(out int value) => TryReadInt16(out value) && value >= 0;

        public bool TryTake(int length, out ReadOnlySpan<byte> field)
        {
            field = default;
            if (length < 0 || length > Remaining)
            {
                return false;
            }

            field = _data.Slice(_position, length);
            _position += length;
            return true;
        }

        /// <summary>Sections after the booleans and before the extended header start on an even offset.</summary>
        public void AlignToEven()
        {
            if ((_position & 1) != 0 && Remaining > 0)
            {
                _position++;
            }
        }
    }
}
