using Mosh.Terminal;

namespace Mosh.Prediction;

/// <summary>
/// The predictions for one screen row: a <see cref="PredictedCell"/> per column and, per column, the contents
/// the cell showed before each prediction there (a later match with those earns no credit: it may be the
/// screen's old text rather than the echo). Rows are pooled by the engine, so the arrays and lists are reused.
/// </summary>
internal sealed class PredictedRow
{
    /// <summary>Bound on remembered originals per cell; more would only matter after dozens of edits of one cell.</summary>
    private const int MaxOriginals = 64;

    private PredictedCell[] _cells = [];
    private List<Cell>?[] _originals = [];

    // Every way to change a cell counts here, so the summary is taken again only for rows that changed.
    private ulong _version;
    private ulong _summaryVersion = ulong.MaxValue;
    private PredictedRowSummary _summary;

    public int RowNumber { get; private set; }

    public int Width => _cells.Length;

    /// <summary>The cells, to change: taking them counts as a change (the row's summary is taken again).</summary>
    public Span<PredictedCell> Cells
    {
        get
        {
            _version++;
            return _cells;
        }
    }

    /// <summary>The cells, to read.</summary>
    public ReadOnlySpan<PredictedCell> ReadOnlyCells => _cells;

    /// <summary>The active cells as a whole, as of the row's last change.</summary>
    public PredictedRowSummary Summary
    {
        get
        {
            if (_summaryVersion != _version)
            {
                _summary = PredictedRowSummary.Of(_cells);
                _summaryVersion = _version;
            }

            return _summary;
        }
    }

    /// <summary>Readies the row for reuse: no predictions, epoch as upstream's new row.</summary>
    public void Initialize(int rowNumber, int width, ulong epoch)
    {
        _version++;
        RowNumber = rowNumber;
        if (_cells.Length != width)
        {
            _cells = new PredictedCell[width];
            _originals = new List<Cell>?[width];
        }

        for (int i = 0; i < _cells.Length; i++)
        {
            _cells[i] = new PredictedCell { TentativeUntilEpoch = epoch };
            _originals[i]?.Clear();
        }
    }

    /// <summary>Forgets the prediction in a column and what the cell held before it.</summary>
    public void Clear(int column)
    {
        _version++;
        _cells[column].Clear();
        _originals[column]?.Clear();
    }

    /// <summary>
    /// Forgets the prediction but remembers its replacement as an "original" (the cell may already show it),
    /// unless there was no known replacement.
    /// </summary>
    public void ClearKeepingReplacement(int column)
    {
        ref PredictedCell cell = ref _cells[column];
        if (!cell.Active || cell.Unknown)
        {
            Clear(column);
            return;
        }

        _version++;
        AddOriginal(column, cell.Replacement);
        cell.Clear();
    }

    public void AddOriginal(int column, in Cell original)
    {
        List<Cell> list = _originals[column] ??= new List<Cell>(4);
        if (list.Count < MaxOriginals)
        {
            list.Add(original);
        }
    }

    /// <summary>Whether the cell showed <paramref name="contents"/>'s text before it was predicted.</summary>
    public bool WasOriginally(int column, in Cell contents)
    {
        List<Cell>? list = _originals[column];
        if (list is null)
        {
            return false;
        }

        foreach (ref readonly Cell original in System.Runtime.InteropServices.CollectionsMarshal.AsSpan(list))
        {
            if (OverlayCells.ContentsMatch(original, contents))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether any cell holds a prediction.</summary>
    public bool HasActive()
    {
        foreach (ref readonly PredictedCell cell in _cells.AsSpan())
        {
            if (cell.Active)
            {
                return true;
            }
        }

        return false;
    }
}
