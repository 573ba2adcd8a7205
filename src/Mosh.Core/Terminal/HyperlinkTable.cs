namespace Mosh.Terminal;

/// <summary>
/// The hyperlinks a framebuffer's cells refer to by id. Ids come from one process-wide counter and are never
/// reused, so an id means the same link in every frame that knows it, and frames copied from one another (or
/// forked from a common ancestor) can compare cells by id alone. Tables are shared between frame copies and
/// copied before a change by a frame that does not own them, like rows.
/// </summary>
internal sealed class HyperlinkTable
{
    private const int RecentWindow = 32;
    private const int MinimumPruneThreshold = 256;

    private static int s_lastId;

    private int[] _ids;
    private Hyperlink[] _links;

    internal long Owner;

    private HyperlinkTable(int[] ids, Hyperlink[] links, int count, long owner)
    {
        _ids = ids;
        _links = links;
        Count = count;
        Owner = owner;
    }

    public static HyperlinkTable CreateEmpty(long owner) => new([], [], 0, owner);

    public int Count { get; private set; }

    /// <summary>When this many links are held, unused ones should be pruned (doubles with the live count).</summary>
    public int PruneThreshold { get; private set; } = MinimumPruneThreshold;

    /// <summary>The link with this id, or null (id 0, or a link no cell of this frame's lineage used).</summary>
    public Hyperlink? Get(int id)
    {
        if (id == 0)
        {
            return null;
        }

        int index = Array.IndexOf(_ids, id, 0, Count);
        return index < 0 ? null : _links[index];
    }

    /// <summary>The id of a recently added equal link, or 0 (only recent ones: links repeat locally).</summary>
    internal int FindRecent(Hyperlink link)
    {
        for (int i = Count - 1; i >= Math.Max(0, Count - RecentWindow); i--)
        {
            if (_links[i].Equals(link))
            {
                return _ids[i];
            }
        }

        return 0;
    }

    internal int Add(Hyperlink link)
    {
        if (Count == _ids.Length)
        {
            int capacity = Math.Max(8, Count * 2);
            Array.Resize(ref _ids, capacity);
            Array.Resize(ref _links, capacity);
        }

        int id = Interlocked.Increment(ref s_lastId);
        if (id <= 0)
        {
            // After 2^31 links, wrap; a collision needs a frame still holding a link from 2^31 links ago.
            Interlocked.CompareExchange(ref s_lastId, 1, id);
            id = Interlocked.Increment(ref s_lastId);
        }

        _ids[Count] = id;
        _links[Count] = link;
        Count++;
        return id;
    }

    /// <summary>Drops links whose ids are not in <paramref name="live"/>.</summary>
    internal void Retain(HashSet<int> live)
    {
        int kept = 0;
        for (int i = 0; i < Count; i++)
        {
            if (live.Contains(_ids[i]))
            {
                _ids[kept] = _ids[i];
                _links[kept] = _links[i];
                kept++;
            }
        }

        Array.Clear(_links, kept, Count - kept);
        Count = kept;
        PruneThreshold = Math.Max(MinimumPruneThreshold, 2 * kept);
    }

    internal HyperlinkTable Clone(long owner) =>
        new((int[])_ids.Clone(), (Hyperlink[])_links.Clone(), Count, owner) { PruneThreshold = PruneThreshold };
}
