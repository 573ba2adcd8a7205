namespace Mosh.Terminal;

/// <summary>
/// The numeric parameters of a control sequence. Top-level parameters are separated by ';'; each may carry
/// colon sub-parameters (<c>38:2::255:0:0</c>). Values follow upstream: a missing or unparsable value is -1
/// and so is a value above <see cref="MaxValue"/>; <see cref="Get"/> turns anything below 1 into the default.
/// </summary>
internal readonly ref struct CsiParams
{
    /// <summary>Upstream's PARAM_MAX.</summary>
    public const int MaxValue = 65535;

    // Every element (top-level and sub) in order, and where each top-level parameter starts in it.
    private readonly ReadOnlySpan<int> _values;
    private readonly ReadOnlySpan<int> _starts;

    // Where each top-level parameter starts when there are no sub-parameters: at its own index.
    private static ReadOnlySpan<int> PlainStarts =>
    [
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29,
        30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56,
        57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 83,
        84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95, 96, 97, 98, 99, 100,
    ];

    internal CsiParams(ReadOnlySpan<int> values, ReadOnlySpan<int> starts, bool hasSubParameters)
    {
        _values = values;
        _starts = starts;
        HasSubParameters = hasSubParameters;
    }

    /// <summary>
    /// Parameters without sub-parameters, one raw value each (at most <see cref="AnsiParser.MaxParamLength"/> + 1 of
    /// them, what the parser's parameter buffer can hold).
    /// </summary>
    public static CsiParams Plain(ReadOnlySpan<int> values) => new(values, PlainStarts[..values.Length], false);

    /// <summary>Every element in order: without <see cref="HasSubParameters"/>, the top-level parameters' raw values.</summary>
    public ReadOnlySpan<int> Elements => _values;

    /// <summary>Number of top-level parameters (an empty parameter string counts as one missing parameter).</summary>
    public int Count => _starts.Length;

    /// <summary>True when any parameter has colon sub-parameters.</summary>
    public bool HasSubParameters { get; }

    /// <summary>The raw value of top-level parameter <paramref name="index"/> (-1 when missing).</summary>
    public int this[int index] => index < _starts.Length ? _values[_starts[index]] : -1;

    /// <summary>Upstream's getparam: the value, or <paramref name="defaultValue"/> when missing, 0 or invalid.</summary>
    public int Get(int index, int defaultValue)
    {
        int value = this[index];
        return value < 1 ? defaultValue : value;
    }

    /// <summary>The colon sub-parameters of top-level parameter <paramref name="index"/> (raw, -1 when empty).</summary>
    public ReadOnlySpan<int> SubParameters(int index)
    {
        if (index >= _starts.Length)
        {
            return default;
        }

        int start = _starts[index] + 1;
        int end = index + 1 < _starts.Length ? _starts[index + 1] : _values.Length;
        return _values[start..end];
    }
}
