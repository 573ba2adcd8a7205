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

    internal CsiParams(ReadOnlySpan<int> values, ReadOnlySpan<int> starts, bool hasSubParameters)
    {
        _values = values;
        _starts = starts;
        HasSubParameters = hasSubParameters;
    }

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
